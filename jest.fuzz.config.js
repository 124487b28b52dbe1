/**
 * `npm run test:fuzz`: the hostile-request fuzz run, on the e2e project's real Kafka and a fresh
 * database. A configuration of its own, so that `npm test` never runs it.
 */
const { projects } = require('./jest.config');

const e2e = projects.find((project) => project.displayName === 'e2e');

module.exports = {
  maxWorkers: 1,
  testTimeout: 30 * 60 * 1000,
  projects: [{ ...e2e, displayName: 'fuzz', testMatch: ['<rootDir>/test/fuzz/**/*.fuzz-spec.ts'] }],
};
