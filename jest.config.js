/** Two projects: fast jsdom unit tests beside the code, and Chromium tests in e2e/. */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] }

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
      transform,
      slowTestThreshold: 30
    }
  ]
}
