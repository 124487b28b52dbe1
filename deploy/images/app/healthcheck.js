// The image's HEALTHCHECK: GET /health/ready of the app this container runs (Kafka and
// PostgreSQL reachable, consumers consuming). The app is $APP or the one PID 1 was started with;
// its port is <APP>_PORT or the app's default. A container running a command (ctl, a shell)
// rather than an app serves nothing, so it has nothing to check.
const { readFileSync } = require('node:fs');
const http = require('node:http');

/** Each app's default port, as its typed config declares it (docs/operations.md). */
const DEFAULT_PORTS = {
  'kiosk-gateway': 3001,
  'terminal-gateway': 3002,
  'cabinet-api': 3003,
  'slip-ingest': 3004,
  'backoffice-api': 3005,
  'reading-processor': 3006,
  'mosenergosbyt-feed': 3007,
};

function runningApp() {
  if (process.env.APP) return process.env.APP;
  let args = [];
  try {
    args = readFileSync('/proc/1/cmdline', 'utf8').split('\0');
  } catch {
    return null;
  }
  for (const arg of args) {
    const built = /dist\/apps\/([^/]+)\/main\.js$/.exec(arg);
    if (built) return built[1];
    if (arg in DEFAULT_PORTS || arg === 'ctl') return arg;
  }
  return null;
}

const app = runningApp();
if (!app || !(app in DEFAULT_PORTS)) process.exit(0);
const port = Number(
  process.env[`${app.toUpperCase().replace(/-/g, '_')}_PORT`] || DEFAULT_PORTS[app],
);
const req = http.get({ host: '127.0.0.1', port, path: '/health/ready', timeout: 4000 }, (res) => {
  res.resume();
  process.exit(res.statusCode === 200 ? 0 : 1);
});
req.on('timeout', () => req.destroy(new Error('timed out')));
req.on('error', (err) => {
  process.stderr.write(`healthcheck: ${err.message}\n`);
  process.exit(1);
});
