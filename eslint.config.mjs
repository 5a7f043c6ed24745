import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

/** A function whose body starts with the directive 'compile lazily' (devkit/compile-hints.ts). */
const LAZY_FUNCTION = ':function[body.body.0.expression.value="compile lazily"]'

export default tseslint.config(
  {
    ignores: ['node_modules/', 'dist/', 'coverage/', '.tmp/', 'devkit/.build/', 'bench/.build/', 'jest.config.js']
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }]
    }
  },
  {
    // What a page view runs (docs/maintainers.md, "Running code for the first time"): indexed loops, no iterator
    // protocol. Functions marked 'compile lazily' are the rare paths and stay idiomatic; so is the catalog text.
    files: ['src/**/*.ts'],
    ignores: [
      'src/**/__tests__/**',
      // The catalog definition: metadata and types are generated from it, the page never runs it.
      'src/index.ts',
      'src/fields.ts',
      'src/presets.ts',
      'src/settings.ts',
      'src/{reportWebEvent,identify,eventsApiMatchKeys}/index.ts'
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: `ForOfStatement:not(${LAZY_FUNCTION} ForOfStatement)`,
          message:
            "Visit path: use an indexed loop (V8 interprets for…of as the iterator protocol), or mark the function 'compile lazily' if a page view with the presets does not run it."
        },
        {
          selector: `ArrayPattern:not(${LAZY_FUNCTION} ArrayPattern)`,
          message:
            "Visit path: read list items by index (V8 interprets array destructuring as the iterator protocol), or mark the function 'compile lazily' if a page view with the presets does not run it."
        }
      ]
    }
  },
  {
    files: ['devkit/*.js', 'playground/**/*.js'],
    languageOptions: { globals: globals.browser }
  }
)
