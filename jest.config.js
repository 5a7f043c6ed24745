/**
 * Three projects: the product's unit tests (jsdom, beside the code, with the checks of what the
 * scripts generate and build), its browser tests in Chromium (e2e/), and the tooling's own tests
 * (the build transform, the test harness, the playground).
 */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] }
const TOOLING_TESTS = [
  '<rootDir>/devkit/__tests__/',
  '<rootDir>/playground/__tests__/',
  '<rootDir>/e2e/harness.test.ts'
]

module.exports = {
  // Generous, for a busy 2-core machine: tests wait for conditions, never for a time, so a passing
  // test takes no longer for it. (A project cannot set its own.)
  testTimeout: 120_000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'jsdom',
      roots: ['<rootDir>/src', '<rootDir>/scripts'],
      testMatch: ['**/__tests__/**/*.test.ts'],
      transform
    },
    {
      displayName: 'browser',
      testEnvironment: 'node',
      roots: ['<rootDir>/e2e'],
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: TOOLING_TESTS,
      transform,
      slowTestThreshold: 30
    },
    {
      displayName: 'tooling',
      testEnvironment: 'node',
      roots: ['<rootDir>/devkit', '<rootDir>/playground', '<rootDir>/e2e'],
      testMatch: ['**/devkit/__tests__/**/*.test.ts', '**/playground/__tests__/**/*.test.ts', '**/e2e/harness.test.ts'],
      transform,
      slowTestThreshold: 30
    }
  ]
}
