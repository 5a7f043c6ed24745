/** Two projects: fast jsdom unit tests beside the code, and Chromium tests in e2e/. */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] }

module.exports = {
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
      transform,
      slowTestThreshold: 30
    }
  ]
}
