import { REGISTRY_COLUMNS } from '@gw/domain';
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { ROOT } from '../scripts/local-env';
import {
  benchLog as log,
  type LocalEnv,
  processCpuSeconds,
  runBench,
  watchDatabaseCpu,
  withLocalEnv,
} from './bench-support';

/**
 * `npm run bench:registry [-- --rows n]`: writes a registry CSV of `n` meters (1,000,000 by
 * default) over n/2.5 accounts, imports it into a fresh database with `ctl registry import` as a
 * child process (as operators run it), then imports it again (every row unchanged), and COPYs the
 * same file into a plain table of text columns as the baseline. Peak resident memory is the
 * child's high-water mark, sampled from /proc.
 */
const { values: options } = parseArgs({
  options: { rows: { type: 'string', default: '1000000' } },
});
const ROWS = Number(options.rows);

const RESOURCES = ['cold_water', 'hot_water', 'electricity', 'cold_water', 'hot_water', 'gas'];

function* registryLines(rows: number): Generator<string> {
  yield `${REGISTRY_COLUMNS.join(';')}\n`;
  let chunk = '';
  for (let i = 0; i < rows; i += 1) {
    const account = `4${String(Math.floor(i / 2.5)).padStart(9, '0')}`;
    const resource = RESOURCES[i % RESOURCES.length];
    const year = 2018 + (i % 7);
    const on = `${year}-0${1 + (i % 9)}-1${i % 10}`;
    const line =
      resource === 'electricity'
        ? `${account};R-${i};electricity;2;6;1;${on};${on};192;;004512.3;001877.0;;${on}`
        : `${account};R-${i};${resource};1;5;3;${on};${on};72;;00012.000;;;${on}`;
    chunk += `${line}\n`;
    if (chunk.length > 1 << 16) {
      yield chunk;
      chunk = '';
    }
  }
  yield chunk;
}

interface ImportRun {
  seconds: number;
  /** CPU time of ctl and of the PostgreSQL backends serving it: on a shared host, steadier than wall time. */
  ctlCpuSeconds: number;
  databaseCpuSeconds: number;
  peakRssMb: number;
  /** Resident memory sampled through the run, in MB: it should level off, not grow with the file. */
  rssSamplesMb: number[];
  report: { imported: number; updated: number; failed: unknown[] };
}

/** Resident memory of a process now and at its peak, in MB (Linux /proc; NaN elsewhere). */
function rssMb(pid: number): { now: number; peak: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1]);
    return { now: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return { now: NaN, peak: NaN };
  }
}

async function importWithCtl(databaseUrl: string, file: string): Promise<ImportRun> {
  const watch = await watchDatabaseCpu(databaseUrl);
  const run = await runCtl(databaseUrl, file).catch(async (error) => {
    await watch.stop();
    throw error;
  });
  return { ...run, databaseCpuSeconds: await watch.stop() };
}

function runCtl(databaseUrl: string, file: string): Promise<Omit<ImportRun, 'databaseCpuSeconds'>> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(
      process.execPath,
      [join(ROOT, 'scripts/run-ts.js'), 'apps/ctl/src/main.ts', 'registry', 'import', file],
      {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: databaseUrl },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const samples: number[] = [];
    let peak = NaN;
    let cpu = NaN;
    const sampler = setInterval(() => {
      const rss = rssMb(child.pid ?? 0);
      if (Number.isNaN(rss.now)) return;
      samples.push(rss.now);
      peak = rss.peak;
      cpu = processCpuSeconds(child.pid ?? 0);
    }, 250);
    let stdout = '';
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(sampler);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) return reject(new Error(`ctl registry import exited with ${code}`));
      const step = Math.max(1, Math.floor(samples.length / 8));
      resolve({
        seconds,
        ctlCpuSeconds: cpu,
        peakRssMb: peak,
        rssSamplesMb: samples.filter((_, i) => i % step === 0),
        report: JSON.parse(stdout),
      });
    });
  });
}

async function copyBaseline(databaseUrl: string, file: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(
      `CREATE TABLE bench_registry_copy (${REGISTRY_COLUMNS.map((c) => `${c} text`).join(', ')})`,
    );
    const started = process.hrtime.bigint();
    await pipeline(
      createReadStream(file),
      client.query(
        copyFrom(`COPY bench_registry_copy FROM STDIN WITH (FORMAT csv, DELIMITER ';', HEADER)`),
      ),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    await client.query(`DROP TABLE bench_registry_copy`);
    return seconds;
  } finally {
    await client.end();
  }
}

const describe = (name: string, run: ImportRun) =>
  `${name}: ${run.seconds.toFixed(1)} s, ${Math.round(ROWS / run.seconds)} rows/s, CPU ctl ${run.ctlCpuSeconds.toFixed(1)} s + PostgreSQL ${run.databaseCpuSeconds.toFixed(1)} s, peak RSS ${run.peakRssMb.toFixed(0)} MB (samples ${run.rssSamplesMb.map((mb) => mb.toFixed(0)).join(' ')}), imported ${run.report.imported}, updated ${run.report.updated}, failed ${run.report.failed.length}`;

async function main({ databaseUrl }: LocalEnv): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-registry-'));
  const file = join(dir, 'registry.csv');
  try {
    log(`writing ${ROWS} registry rows to ${file}`);
    await pipeline(Readable.from(registryLines(ROWS)), createWriteStream(file));
    log('ctl registry import (new meters)');
    const first = await importWithCtl(databaseUrl, file);
    log(describe('first import', first));
    log('ctl registry import (the same file again: every row unchanged)');
    const again = await importWithCtl(databaseUrl, file);
    log(describe('re-import', again));
    const baseline = await copyBaseline(databaseUrl, file);
    log(`baseline COPY into a table of text columns: ${baseline.toFixed(1)} s`);
    console.log(`registry_rows=${ROWS}`);
    console.log(`import_seconds=${first.seconds.toFixed(2)}`);
    console.log(`import_rows_per_s=${Math.round(ROWS / first.seconds)}`);
    console.log(`import_peak_rss_mb=${first.peakRssMb.toFixed(0)}`);
    console.log(
      `import_cpu_s=${first.ctlCpuSeconds.toFixed(1)}+${first.databaseCpuSeconds.toFixed(1)}`,
    );
    console.log(`reimport_seconds=${again.seconds.toFixed(2)}`);
    console.log(`baseline_copy_rows_per_s=${Math.round(ROWS / baseline)}`);
    console.log(`ratio=${(baseline / first.seconds).toFixed(3)}`);
    console.log(
      `load_average=${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

runBench(() => withLocalEnv(`meter_gateway_bench_registry_${process.pid}`, main, { kafka: false }));
