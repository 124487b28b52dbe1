// Runs a TypeScript entry point of this repo without a build step: `node scripts/run-ts.js <file.ts> [args…]`.
const path = require('node:path');
const Module = require('node:module');
const root = path.resolve(__dirname, '..');
require('ts-node').register({ transpileOnly: true, project: path.join(root, 'tsconfig.json') });
require('tsconfig-paths').register({
  baseUrl: root,
  paths: require('../tsconfig.json').compilerOptions.paths,
});
process.argv.splice(1, 2, path.resolve(root, process.argv[2]));
Module.runMain();
