process.env.TZ = 'UTC';
/** Unit tests need no I/O; e2e tests share one real Kafka broker and PostgreSQL, provisioned once per run. */
// Types are checked by `npm run typecheck` (tests included): with `isolatedModules` ts-jest only
// transpiles, so its diagnostics would report syntax errors alone.
const transform = { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] };
const moduleNameMapper = {
  '^@gw/(contracts|domain|messaging|persistence|platform|runtime)$': '<rootDir>/libs/$1/src',
};
const common = { rootDir: __dirname, transform, moduleNameMapper, testEnvironment: 'node' };

module.exports = {
  maxWorkers: 1,
  testTimeout: 120000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,scripts}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
      setupFiles: ['<rootDir>/test/setup/env.ts'],
    },
  ],
};
