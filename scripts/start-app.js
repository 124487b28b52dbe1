// `npm run start:app -- <app>`: builds once (tsc), then runs the app's production entry point,
// `dist/apps/<app>/main.js`, in this process (so signals reach it directly).
const { execFileSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const app = process.argv[2];
if (!app || !existsSync(path.join(root, 'apps', app, 'main.ts'))) {
  process.stderr.write(`usage: npm run start:app -- <app>; no app named ${JSON.stringify(app)}\n`);
  process.exit(2);
}
execFileSync(
  process.execPath,
  [
    path.join(root, 'node_modules/typescript/bin/tsc'),
    '-p',
    path.join(root, 'tsconfig.build.json'),
  ],
  { stdio: 'inherit' },
);
process.argv.splice(1, 2, path.join(root, 'dist/apps', app, 'main.js'));
require(process.argv[1]);
