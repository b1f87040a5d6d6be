// Two projects: `unit` (pure logic, no services) and `integration` (a real Kafka broker and
// PostgreSQL; see README). Workspace packages are consumed through their built output, as a
// user's app would, so `pnpm test` builds them first.
const tsJest = ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }];
// Tests print nothing on success: what a test writes is kept and printed only when it fails.
const testEnvironment = '<rootDir>/scripts/jest-quiet-environment.js';

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 120_000,
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.js'],
  projects: [
    {
      displayName: 'unit',
      rootDir: __dirname,
      testEnvironment,
      transform: { '^.+\\.ts$': tsJest },
      testMatch: [
        '<rootDir>/{packages,apps,libs}/*/src/**/*.spec.ts',
        '<rootDir>/{packages,apps,libs}/*/test/unit/**/*.spec.ts',
        '<rootDir>/test/unit/**/*.spec.ts',
        '<rootDir>/bench/test/unit/**/*.spec.ts',
      ],
    },
    {
      displayName: 'integration',
      rootDir: __dirname,
      testEnvironment,
      transform: { '^.+\\.ts$': tsJest },
      testMatch: [
        '<rootDir>/{packages,apps,libs}/*/test/**/*.int-spec.ts',
        '<rootDir>/test/integration/**/*.int-spec.ts',
        '<rootDir>/bench/test/**/*.int-spec.ts',
      ],
      slowTestThreshold: 30,
    },
  ],
};
