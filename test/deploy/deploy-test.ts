import { KIOSK_PATHS } from '@gw/contracts';
import { toMoscowIso } from '@gw/domain';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { type ChaosMeter, importedMeters, Ledger, runKiosk, runTerminal } from '../chaos/load';
import { sleep, timeUntil } from '../chaos/supervisor';
import { signedHeaders } from '../kiosk/kiosk-harness';
import { registryCsv, registryRecord } from '../support/factories';

/**
 * `npm run test:deploy`: the container image and the staging stack of deploy/compose, for real.
 * Builds the base images (deploy/images/build-base.sh, cached) and the app image, brings the stack
 * up under a project name of its own, waits for every app's readiness, sends signed readings
 * through the kiosk and terminal edges and sees them decided, following one kiosk batch by its
 * trace id from the edge's request log to the processor's decision and the stored reading; then
 * kills one Kafka broker and keeps sending: every acknowledged reading must be decided. Last,
 * Prometheus must scrape every app and hold the alert rules of deploy/k8s. The stack is torn down
 * at the end, on failure too. Every published port is on 127.0.0.1.
 */

const ROOT = resolve(__dirname, '..', '..');
const PROJECT = 'meter-gateway-deploy-test';
const IMAGE = 'meter-gateway:deploy-test';
const COMPOSE_FILE = join(ROOT, 'deploy/compose/compose.yaml');
const MONITORING = join(ROOT, 'deploy/k8s/base/monitoring.yaml');
const DASHBOARD = join(ROOT, 'deploy/compose/grafana/dashboards/meter-gateway.json');
/** Every app of the stack: its compose service and the port it listens on inside. */
const APPS = [
  { service: 'kiosk-gateway', port: 3001 },
  { service: 'terminal-gateway', port: 3002 },
  { service: 'cabinet-api', port: 3003 },
  { service: 'slip-ingest', port: 3004 },
  { service: 'backoffice-api', port: 3005 },
  { service: 'reading-processor-1', port: 3006 },
  { service: 'reading-processor-2', port: 3006 },
  { service: 'mosenergosbyt-feed', port: 3007 },
];
const READY_WITHIN_MS = 240000;
const DECIDED_WITHIN_MS = 90000;
const LOAD_MS = 30000;
const KILL_AFTER_MS = 8000;

const log = (line: string) => process.stdout.write(`deploy: ${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Runs a command to its end; its output is returned, or shown (the last lines) when it fails. */
function run(
  command: string,
  args: string[],
  options: { env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
      output += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGTERM'), options.timeoutMs ?? 1800000);
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return done(stdout);
      const tail = output.trimEnd().split('\n').slice(-40).join('\n');
      fail(new Error(`${command} ${args.join(' ')}: ${signal ?? `exit ${code}`}\n${tail}`));
    });
  });
}

/** Debian's docker-compose (v1), or the Compose plugin of a newer Docker. */
async function composeCommand(): Promise<string[]> {
  try {
    await run('docker-compose', ['version']);
    return ['docker-compose'];
  } catch {
    return ['docker', 'compose'];
  }
}

class Stack {
  private readonly env = { GATEWAY_IMAGE: IMAGE };

  constructor(private readonly command: string[]) {}

  compose(args: string[], timeoutMs?: number): Promise<string> {
    const [bin, ...rest] = this.command;
    return run(bin, [...rest, '-p', PROJECT, '-f', COMPOSE_FILE, ...args], {
      env: this.env,
      timeoutMs,
    });
  }

  /** The 127.0.0.1 address Docker published a service's port on. */
  async url(service: string, port: number): Promise<string> {
    const address = (await this.compose(['port', service, String(port)])).trim();
    if (!/^127\.0\.0\.1:\d+$/.test(address))
      throw new Error(`${service}:${port} is published on "${address}", not on 127.0.0.1`);
    return `http://${address}`;
  }

  /** Runs ctl in a one-off container of the setup service (which has the kiosk key). */
  async ctl<T>(mount: string, ...args: string[]): Promise<T> {
    const out = await this.compose([
      'run',
      '--rm',
      '--no-deps',
      '-T',
      '-v',
      `${mount}:/data:ro`,
      'setup',
      'node',
      'dist/apps/ctl/main.js',
      ...args,
    ]);
    return JSON.parse(out.slice(out.indexOf('{'))) as T;
  }

  logs(...services: string[]): Promise<string> {
    return this.compose(['logs', '--no-color', ...services]);
  }

  down(): Promise<string> {
    return this.compose(['down', '-v', '--remove-orphans', '--timeout', '20'], 300000);
  }
}

async function ready(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(3000) });
    return res.status === 200;
  } catch {
    return false;
  }
}

/** One short-lived connection per question. */
async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** How many of these submissions the processors have decided (stored with their status). */
async function decidedCount(db: string, ids: string[]): Promise<number> {
  const rows = await query<{ n: string }>(
    db,
    'SELECT count(*) AS n FROM readings WHERE submission_id = ANY($1::uuid[])',
    [ids],
  );
  return Number(rows[0].n);
}

async function allDecided(db: string, ids: string[]): Promise<number | null> {
  return timeUntil(
    async () => (await decidedCount(db, ids)) === ids.length,
    DECIDED_WITHIN_MS,
    1000,
  );
}

/** The registry through the image's `ctl registry import`: 100 cold-water meters. */
async function importRegistry(stack: Stack, dir: string): Promise<ChaosMeter[]> {
  const records = Array.from({ length: 100 }, () => registryRecord());
  writeFileSync(join(dir, 'registry.csv'), registryCsv(records));
  const answer = await stack.ctl<{ imported: number }>(
    dir,
    'registry',
    'import',
    '/data/registry.csv',
  );
  return importedMeters(answer, records);
}

/**
 * One kiosk batch sent with a `traceparent` of the test's own trace: the edge's request log, the
 * processor's decision log and the stored readings must all carry that trace id.
 */
async function followOneTrace(
  stack: Stack,
  kioskUrl: string,
  db: string,
  kiosk: { kioskId: string; secret: string },
  meter: ChaosMeter,
): Promise<string[]> {
  const traceId = randomBytes(16).toString('hex');
  const body = JSON.stringify({
    batchId: `${kiosk.kioskId}-traced`,
    items: [
      {
        seq: 1,
        accountNumber: meter.accountNumber,
        meterSerial: meter.serial,
        values: [{ zone: 'T1', value: (meter.value += 0.5).toFixed(3) }],
        readAt: toMoscowIso(new Date()),
      },
    ],
  });
  const res = await fetch(`${kioskUrl}${KIOSK_PATHS.readings}`, {
    method: 'POST',
    body,
    headers: {
      ...signedHeaders(kiosk, 'POST', KIOSK_PATHS.readings, body),
      'Content-Type': 'application/json',
      traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
    },
  });
  const answer = (await res.json()) as { items?: { status: string; submissionId?: string }[] };
  const ids = (answer.items ?? []).flatMap((i) => (i.submissionId ? [i.submissionId] : []));
  if (res.status !== 202 || ids.length !== 1)
    throw new Error(`the traced batch was answered ${res.status}: ${JSON.stringify(answer)}`);
  if ((await allDecided(db, ids)) === null) throw new Error(`the traced batch was not decided`);
  const stored = await query<{ trace_id: string | null; status: string }>(
    db,
    'SELECT trace_id, status FROM readings WHERE submission_id = $1::uuid',
    ids,
  );
  const edgeLog = (await stack.logs('kiosk-gateway'))
    .split('\n')
    .find((line) => line.includes(traceId) && line.includes('HttpRequest'));
  const processorLog = (await stack.logs('reading-processor-1', 'reading-processor-2'))
    .split('\n')
    .find((line) => line.includes(traceId));
  log(`trace ${traceId}: submission ${ids[0]} stored ${stored[0]?.status}`);
  log(`  edge:      ${edgeLog?.trim() ?? 'NOT in the kiosk-gateway log'}`);
  log(`  processor: ${processorLog?.trim() ?? 'NOT in the reading-processor logs'}`);
  if (stored[0]?.trace_id !== traceId)
    throw new Error(`the reading was stored with trace ${stored[0]?.trace_id}, not ${traceId}`);
  if (!edgeLog || !processorLog) throw new Error('the trace id is missing from a log');
  return ids;
}

/** Prometheus scrapes every app (all targets up) and has loaded every alert of deploy/k8s. */
async function checkPrometheus(url: string): Promise<void> {
  const expected = [...readFileSync(MONITORING, 'utf8').matchAll(/^\s*- alert: (\S+)/gm)].map(
    (m) => m[1],
  );
  let problem = '';
  const ok = await timeUntil(
    async () => {
      const targets = (await (await fetch(`${url}/api/v1/targets`)).json()) as {
        data: {
          activeTargets: { labels: { service: string; instance: string }; health: string }[];
        };
      };
      const active = targets.data.activeTargets;
      const instances = new Set(
        active.filter((t) => t.health === 'up').map((t) => t.labels.instance),
      );
      const missing = APPS.map((a) => `${a.service}:${a.port}`).filter((i) => !instances.has(i));
      const rules = (await (await fetch(`${url}/api/v1/rules`)).json()) as {
        data: { groups: { rules: { name: string; type: string }[] }[] };
      };
      const loaded = new Set(rules.data.groups.flatMap((g) => g.rules.map((r) => r.name)));
      const absent = expected.filter((name) => !loaded.has(name));
      problem = `targets not up: ${missing.join(', ') || 'none'}; alerts not loaded: ${absent.join(', ') || 'none'}`;
      return missing.length === 0 && absent.length === 0 && expected.length > 0;
    },
    60000,
    2000,
  );
  if (ok === null) throw new Error(`Prometheus: ${problem}`);
  log(`Prometheus scrapes all ${APPS.length} apps and holds the ${expected.length} alerts`);
  // Grafana cannot run here: its dashboard's queries are at least checked against Prometheus.
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
    panels: { title: string; targets: { expr: string }[] }[];
  };
  for (const panel of dashboard.panels)
    for (const { expr } of panel.targets) {
      const res = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: expr })}`);
      if (res.status !== 200)
        throw new Error(`dashboard panel "${panel.title}": ${(await res.text()).slice(0, 300)}`);
    }
  log(`the ${dashboard.panels.length} dashboard panels' queries are valid PromQL`);
}

/**
 * `docker stop` sends SIGTERM through tini to node: the app must drain and exit 0 by itself,
 * well before Docker's SIGKILL (exit code 137).
 */
async function gracefulStop(stack: Stack, service: string): Promise<void> {
  const id = (await stack.compose(['ps', '-q', service])).trim();
  const started = Date.now();
  await run('docker', ['stop', '--time', '60', id]);
  const stoppedMs = Date.now() - started;
  const exitCode = (await run('docker', ['inspect', '-f', '{{.State.ExitCode}}', id])).trim();
  const drained = (await stack.logs(service)).includes('"msg":"draining"');
  log(`${service} stopped by SIGTERM in ${seconds(stoppedMs)}, exit code ${exitCode}`);
  if (exitCode !== '0' || !drained)
    throw new Error(`${service} did not drain and exit 0 on SIGTERM (exit code ${exitCode})`);
}

/**
 * The broker (1 to 3) coordinating a consumer group: the leader of the `__consumer_offsets`
 * partition that Kafka assigns the group (Java's String.hashCode of its id, modulo the partitions).
 * Asked from a one-off container, since the brokers are reachable only on the stack's network.
 */
async function coordinatorOf(stack: Stack, groupId: string): Promise<number> {
  const script = `
    const { Kafka, logLevel } = require('kafkajs');
    const admin = new Kafka({ brokers: process.env.KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING }).admin();
    (async () => {
      await admin.connect();
      const [topic] = (await admin.fetchTopicMetadata({ topics: ['__consumer_offsets'] })).topics;
      let hash = 0;
      for (const c of ${JSON.stringify(groupId)}) hash = (31 * hash + c.charCodeAt(0)) | 0;
      const partition = (hash === -2147483648 ? 0 : Math.abs(hash)) % topic.partitions.length;
      console.log(topic.partitions.find((p) => p.partitionId === partition).leader);
      await admin.disconnect();
    })();`;
  const out = await stack.compose([
    'run',
    '--rm',
    '--no-deps',
    '-T',
    'setup',
    'node',
    '-e',
    script,
  ]);
  return Number(out.trim().split('\n').pop());
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gateway-deploy-'));
  chmodSync(dir, 0o755);
  let stack: Stack | undefined;
  let passed = false;
  const tearDown = async () => {
    if (stack && !passed) {
      // Every service's log, for the failure's cause: the stack is gone afterwards.
      const file = join(tmpdir(), `meter-gateway-deploy-test-${Date.now()}.log`);
      await stack
        .logs()
        .then((logs) => writeFileSync(file, logs))
        .then(() => log(`the stack's logs: ${file}`))
        .catch((error: Error) => log(`logs: ${error.message}`));
    }
    if (stack && process.env.DEPLOY_TEST_KEEP === '1') log(`left running: project ${PROJECT}`);
    else if (stack) {
      log('tearing the stack down');
      await stack.down().catch((error: Error) => log(`teardown: ${error.message}`));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => void tearDown().finally(() => process.exit(130)));
  try {
    await run('bash', ['deploy/images/ensure-docker.sh']);
    let started = Date.now();
    await run('bash', ['deploy/images/build-base.sh']);
    log(`base images ready in ${seconds(Date.now() - started)}`);
    started = Date.now();
    await run('docker', ['build', '--network', 'host', '-t', IMAGE, '.']);
    // The image the tag named before is of no more use; the build stage stays, as the cache.
    const label = 'label=org.opencontainers.image.title=meter-gateway';
    await run('docker', ['image', 'prune', '--force', '--filter', label]);
    const size = Number(
      (await run('docker', ['image', 'inspect', '-f', '{{.Size}}', IMAGE])).trim(),
    );
    log(`image ${IMAGE} built in ${seconds(Date.now() - started)}: ${(size / 1e6).toFixed(0)} MB`);

    stack = new Stack(await composeCommand());
    await stack.down(); // what an interrupted run may have left
    started = Date.now();
    await stack.compose(['up', '-d'], 600000);
    const urls = new Map<string, string>();
    for (const app of APPS) urls.set(app.service, await stack.url(app.service, app.port));
    const readyMs = await timeUntil(
      async () => (await Promise.all([...urls.values()].map(ready))).every(Boolean),
      READY_WITHIN_MS,
      1000,
    );
    if (readyMs === null) {
      const down = [];
      for (const [service, url] of urls) if (!(await ready(url))) down.push(service);
      throw new Error(`not ready within ${seconds(READY_WITHIN_MS)}: ${down.join(', ')}`);
    }
    log(`stack up, every app ready, ${seconds(Date.now() - started)} after "up"`);

    const db = `postgres://gateway:staging-only@${(await stack.url('postgres', 5432)).slice(7)}/meter_gateway`;
    const meters = await importRegistry(stack, dir);
    const kiosks = [
      await stack.ctl<{ kioskId: string; secret: string }>(dir, 'kiosk', 'add', 'K-DEPLOY-1'),
      await stack.ctl<{ kioskId: string; secret: string }>(dir, 'kiosk', 'add', 'K-DEPLOY-2'),
    ];
    const terminal = await stack.ctl<{ terminalId: string; login: string; password: string }>(
      dir,
      'terminal',
      'add',
      'T-DEPLOY-1',
      '--allow-any',
    );
    const kioskUrl = urls.get('kiosk-gateway') as string;
    await followOneTrace(stack, kioskUrl, db, kiosks[0], meters[0]);

    // Steady load from two kiosks and a terminal; one broker is killed while it runs.
    const ledger = new Ledger();
    let loading = true;
    const running = () => loading;
    const load = [
      ...kiosks.map((kiosk) =>
        runKiosk({
          kiosk,
          gateways: () => [kioskUrl],
          meters: meters.slice(1),
          batchSize: 5,
          intervalMs: 500,
          ledger,
          running,
        }),
      ),
      runTerminal({
        terminal,
        gateway: () => urls.get('terminal-gateway') as string,
        meters: meters.slice(1),
        intervalMs: 300,
        ledger,
        running,
      }),
    ];
    // The processors' group coordinator, the broker whose loss asks most of them: their commits
    // must find the group's new coordinator. DEPLOY_TEST_KILL_BROKER=<n> kills broker n instead.
    const coordinator = await coordinatorOf(stack, 'reading-processor');
    const victim = Number(process.env.DEPLOY_TEST_KILL_BROKER ?? coordinator);
    await sleep(KILL_AFTER_MS);
    const beforeKill = ledger.acknowledged.size;
    await stack.compose(['kill', '-s', 'SIGKILL', `kafka-${victim}`]);
    log(
      `kafka-${victim} killed (SIGKILL) after ${beforeKill} acknowledged readings (the processors' group coordinator is kafka-${coordinator}); still sending`,
    );
    await sleep(LOAD_MS - KILL_AFTER_MS);
    loading = false;
    await Promise.all(load);
    const killed = (await stack.compose(['ps', '-q', `kafka-${victim}`])).trim();
    const state = killed
      ? (await run('docker', ['inspect', '-f', '{{.State.Running}}', killed])).trim()
      : 'gone';
    if (state === 'true') throw new Error(`kafka-${victim} ran again before the load ended`);
    const acknowledged = [...ledger.acknowledged];
    const retries = [...ledger.retries].map(([reason, n]) => `${reason} ${n}`).join(', ');
    log(
      `sent ${ledger.sent} readings, ${acknowledged.length} acknowledged (${acknowledged.length - beforeKill} after the kill), retries: ${retries || 'none'}`,
    );
    if (ledger.unexpected.length > 0)
      throw new Error(`unexpected answers: ${ledger.unexpected.slice(0, 5).join('; ')}`);
    if (acknowledged.length - beforeKill < 20)
      throw new Error('too few readings were acknowledged while the broker was down');
    const decidedMs = await allDecided(db, acknowledged);
    const decided = await decidedCount(db, acknowledged);
    if (decidedMs === null)
      throw new Error(`${acknowledged.length - decided} acknowledged readings were never decided`);
    log(`all ${decided} acknowledged readings decided, with one broker down`);

    await checkPrometheus(await stack.url('prometheus', 9090));
    const alerts = ['promtool', 'test', 'rules', '/etc/prometheus/alerts.test.yml'];
    await stack.compose(['exec', '-T', 'prometheus', ...alerts]);
    log('the alerts fire on what deploy/compose/prometheus/alerts.test.yml says (promtool)');
    await gracefulStop(stack, 'terminal-gateway');
    passed = true;
    log('passed');
  } finally {
    await tearDown();
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    log(`FAILED: ${error.message}`);
    process.exit(1);
  },
);
