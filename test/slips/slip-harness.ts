import type { INestApplication } from '@nestjs/common';
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DAY_MS, formatDate, moscowDate, SLIP_COLUMNS } from '@gw/domain';
import { loadConfig } from '@gw/platform';
import type { Kafka } from 'kafkajs';
import { bootstrap } from '../../apps/slip-ingest/src/main';
import { SlipIngestEnv } from '../../apps/slip-ingest/src/slip-ingest.env';
import type { TappedMessage } from '../support/infra';
import { freePort } from '../../scripts/local-env';
import { runCtl } from '../support/ctl';

export const SLIP_HEADER = SLIP_COLUMNS.join(';');

/** The real slip-ingest in this process, on a free port. */
export function startSlipIngest(env: Record<string, string> = {}): Promise<INestApplication> {
  return bootstrap(
    loadConfig(SlipIngestEnv, {
      ...process.env,
      SLIP_INGEST_PORT: '0',
      LOG_LEVEL: 'warn',
      ...env,
    }),
  );
}

export interface SlipIngestProcess {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

/** slip-ingest as an OS process of its own, so its memory can be measured apart from Jest's. */
export async function spawnSlipIngest(
  env: Record<string, string> = {},
): Promise<SlipIngestProcess> {
  const root = resolve(__dirname, '..', '..');
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [resolve(root, 'scripts/run-ts.js'), 'apps/slip-ingest/src/main.ts'],
    {
      cwd: root,
      env: { ...process.env, SLIP_INGEST_PORT: String(port), LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`slip-ingest exited with ${child.exitCode}`);
    const live = await fetch(`${url}/health/live`).then(
      (r) => r.ok,
      () => false,
    );
    if (live) break;
    if (Date.now() > deadline) throw new Error('slip-ingest did not start within 60 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });
  return { child, url, stop };
}

/** Starts counting a process's peak resident memory afresh (Linux: `clear_refs` 5 resets VmHWM). */
function resetPeakMemory(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

/** Current and peak resident memory of a process, in bytes (Linux `/proc/<pid>/status`). */
function residentMemory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

export interface ScanningCentreLogin {
  centreId: string;
  login: string;
  password: string;
}

/**
 * This test file's own tag: every e2e file of a run imports the harness afresh, so counters alone
 * would give two files the same centre and batch ids in the run's one database.
 */
const FILE_TAG = Math.random().toString(36).slice(2, 7);

let centres = 0;

/** A scanning centre created the way an administrator does: `ctl scanner add <centreId>`. */
export async function addScanningCentre(
  centreId = `SC-${process.env.E2E_RUN_ID}-${FILE_TAG}-${(centres += 1)}`,
): Promise<ScanningCentreLogin> {
  return runCtl<ScanningCentreLogin>('scanner', 'add', centreId);
}

export const basic = ({ login, password }: { login: string; password: string }) =>
  `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`;

let batches = 0;

export function uniqueBatchId(prefix = 'B'): string {
  batches += 1;
  return `${prefix}-${process.env.E2E_RUN_ID}-${FILE_TAG}-${batches}`;
}

/** A Moscow calendar date `days` from today. */
export function dayFromToday(days: number): string {
  return formatDate(moscowDate(new Date(Date.now() + days * DAY_MS)));
}

/** A payment QR payload as printed on a housing-utility slip (ГОСТ Р 56042-2014). */
export function slipQr(
  account: string,
  { header = 'ST00012', period = '112026', name = 'ООО "МосОблЕИРЦ"' } = {},
): string {
  return [
    header,
    `Name=${name}`,
    'PersonalAcc=40702810040000012345',
    'BankName=ПАО Сбербанк',
    'BIC=044525225',
    'CorrespAcc=30101810400000000225',
    `PersAcc=${account}`,
    `paymPeriod=${period}`,
  ].join('|');
}

export interface SlipLine {
  slip: string;
  qr: string;
  serial: string;
  zone?: string;
  value: string;
  confidence?: string;
  image?: string;
}

export function slipLine({
  slip,
  qr,
  serial,
  zone = 'T1',
  value,
  confidence = '0.97',
  image = '',
}: SlipLine): string {
  return [slip, qr, serial, zone, value, confidence, image].join(';');
}

/** A batch file: the header, then one line per entry (text lines are taken as they are). */
export function slipFile(lines: (SlipLine | string)[]): string {
  return [SLIP_HEADER, ...lines.map((l) => (typeof l === 'string' ? l : slipLine(l)))]
    .map((l) => `${l}\n`)
    .join('');
}

/**
 * The messages a topic receives from now on: end offsets are noted at `open`, and `read` fetches
 * everything between them and the current ends. Other tests may write to the same topic meanwhile,
 * so callers filter what they read.
 */
export class TopicWindow {
  private constructor(
    private readonly kafka: Kafka,
    readonly topic: string,
    private readonly start: Map<number, bigint>,
  ) {}

  static async open(kafka: Kafka, topic: string): Promise<TopicWindow> {
    return new TopicWindow(kafka, topic, await endOffsets(kafka, topic));
  }

  /** How many messages the topic received since `open`. */
  async count(): Promise<number> {
    const ends = await endOffsets(this.kafka, this.topic);
    let total = 0n;
    for (const [partition, end] of ends) total += end - (this.start.get(partition) ?? 0n);
    return Number(total);
  }

  async read(): Promise<TappedMessage[]> {
    const ends = await endOffsets(this.kafka, this.topic);
    const wanted = [...ends].filter(([p, end]) => end > (this.start.get(p) ?? 0n));
    if (wanted.length === 0) return [];
    const remaining = new Set(wanted.map(([p]) => p));
    const messages: TappedMessage[] = [];
    const consumer = this.kafka.consumer({
      groupId: `slip-window-${process.env.E2E_RUN_ID}-${Math.random().toString(36).slice(2)}`,
    });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: this.topic });
      const complete = new Promise<void>((resolve) => {
        void consumer.run({
          eachMessage: async ({ partition, message }) => {
            const end = ends.get(partition) as bigint;
            const offset = BigInt(message.offset);
            if (offset >= end || offset < (this.start.get(partition) ?? 0n)) return;
            messages.push({
              key: message.key?.toString() ?? null,
              value: message.value,
              headers: {},
              partition,
              offset: message.offset,
            });
            if (offset === end - 1n) {
              remaining.delete(partition);
              if (remaining.size === 0) resolve();
            }
          },
        });
      });
      for (const [partition] of wanted)
        consumer.seek({
          topic: this.topic,
          partition,
          offset: String(this.start.get(partition) ?? 0n),
        });
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        complete,
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`reading ${this.topic} took too long`)),
            120_000,
          );
        }),
      ]).finally(() => clearTimeout(timer));
    } finally {
      await consumer.disconnect();
    }
    return messages;
  }
}

async function endOffsets(kafka: Kafka, topic: string): Promise<Map<number, bigint>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
  } finally {
    await admin.disconnect();
  }
}

/** Streams `body` as an upload to a slip-ingest process at `url`; its status and body text. */
function postStream(
  url: string,
  headers: Record<string, string>,
  body: Readable,
): Promise<{ status: number; body: string }> {
  const req = httpRequest(`${url}/v1/slips/batches`, { method: 'POST', headers });
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
  });
  return pipeline(body, req).then(() => answer);
}

/**
 * Streams `body` as an upload to `slip`: its answer, and the process's resident memory before and
 * at its peak during the upload.
 */
export async function measuredUpload(
  slip: SlipIngestProcess,
  headers: Record<string, string>,
  body: Readable,
): Promise<{ status: number; body: string; before: number; peak: number }> {
  const pid = slip.child.pid as number;
  const before = residentMemory(pid).rss;
  resetPeakMemory(pid);
  const answer = await postStream(slip.url, headers, body);
  return { ...answer, before, peak: residentMemory(pid).peak };
}
