import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { createKafka, ensureTopics, gatewayTopics, topicReplication } from '@gw/messaging';
import { moscowDate } from '@gw/domain';
import { migrate } from '@gw/persistence';
import { BaseEnv, loadConfig } from '@gw/platform';
import {
  datedDemoCharges,
  ensureDatabase,
  ensureKafka,
  localTopicEnv,
  ROOT,
  stopEmbeddedPostgres,
  stopKafka,
} from './local-env';
import { startMailCatcher } from './mail-catcher';

/**
 * `npm start`: provisions Kafka and PostgreSQL when they are not given, migrates, seeds the demo
 * registry, builds once and runs every app until Ctrl-C, then stops what it started.
 */
const log = (msg: string) => process.stderr.write(`[start] ${msg}\n`);

function apps(): string[] {
  return readdirSync(join(ROOT, 'apps')).filter(
    (app) => app !== 'ctl' && existsSync(join(ROOT, 'apps', app, 'main.ts')),
  );
}

/** An app's production entry point in the built output (see docs/operations.md, Running one app). */
const entry = (app: string) => join(ROOT, 'dist/apps', app, 'main.js');

async function main(): Promise<void> {
  // The start script's own Kafka client: its warnings and errors, not kafkajs' debug lines.
  Logger.overrideLogger(['error', 'warn']);
  const topicEnv = localTopicEnv();
  const kafka = await ensureKafka();
  const database = await ensureDatabase('meter_gateway');
  // Without SMTP_URL the cabinet's e-mails (sign-in codes) are kept as files in .data/mail/.
  const mail = process.env.SMTP_URL
    ? null
    : await startMailCatcher({
        port: 1025,
        dir: join(ROOT, '.data', 'mail'),
        onMail: (m) => log(`mail "${m.subject}" saved to ${m.file}`),
      });
  if (mail) log(`mail catcher on ${mail.url} (the apps' SMTP_URL): e-mails land in .data/mail/`);
  const env = {
    ...topicEnv,
    ...process.env,
    KAFKA_BROKERS: kafka.value,
    DATABASE_URL: database.value,
    SMTP_URL: process.env.SMTP_URL ?? mail?.url,
    // Local runs need no keys: the apps use the published development ones.
    GATEWAY_MODE: process.env.GATEWAY_MODE ?? 'development',
    // The back office is served on plain http://127.0.0.1:3005, where a Secure cookie is not kept.
    BACKOFFICE_COOKIE_SECURE: process.env.BACKOFFICE_COOKIE_SECURE ?? 'false',
    // So are the residents' pages on http://127.0.0.1:3003.
    CABINET_COOKIE_SECURE: process.env.CABINET_COOKIE_SECURE ?? 'false',
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
  };
  log(`migrations applied: ${JSON.stringify(await migrate(database.value))}`);
  const config = loadConfig(BaseEnv, env);
  const topics = await ensureTopics(
    createKafka(config.KAFKA_BROKERS, 'start'),
    gatewayTopics(config.KAFKA_PARTITIONS),
    topicReplication(config),
  );
  log(`topics: ${JSON.stringify(topics)}`);

  const ctl = (...args: string[]) =>
    execFileSync(process.execPath, [entry('ctl'), ...args], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    }).toString();
  log('building (tsc)');
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')],
    { stdio: 'inherit' },
  );
  const demo = (what: string, ...args: string[]) =>
    log(`${what}: ${ctl(...args).replace(/\s+/g, ' ')}`);
  demo('demo registry', 'registry', 'import', join(ROOT, 'deploy/demo/registry.sample.csv'));
  demo(
    'demo partner map',
    'partner-map',
    'import',
    join(ROOT, 'deploy/demo/partner-map.sample.csv'),
  );
  // Dated so that a resident can register with them today: see datedDemoCharges.
  const charges = datedDemoCharges(
    readFileSync(join(ROOT, 'deploy/demo/charges.sample.csv'), 'utf8'),
    moscowDate(new Date()),
  );
  mkdirSync(join(ROOT, '.data'), { recursive: true });
  const chargesFile = join(ROOT, '.data', 'demo-charges.csv');
  writeFileSync(chargesFile, charges.csv);
  demo(`demo charges (${charges.periods.join(', ')})`, 'charges', 'import', chargesFile);
  // A fresh password on every start, so a newcomer can sign in to the back office at once.
  demo('back-office sign-in (demo)', 'operator', 'add', 'demo-admin', '--role', 'admin');

  const children: ChildProcess[] = apps().map((app) => {
    const child = spawn(process.execPath, [entry(app)], { cwd: ROOT, env, stdio: 'inherit' });
    child.on('exit', (code, signal) => log(`${app} exited (${signal ?? code})`));
    log(`${app} started (pid ${child.pid})`);
    return child;
  });

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log('stopping');
    children.forEach((c) => c.kill('SIGTERM'));
    await Promise.all(
      children.map(
        (c) => new Promise((done) => (c.exitCode !== null ? done(null) : c.once('exit', done))),
      ),
    );
    await mail?.close();
    if (database.started) await stopEmbeddedPostgres();
    if (kafka.started) stopKafka();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  log(`failed: ${error.stack ?? error}`);
  process.exit(1);
});
