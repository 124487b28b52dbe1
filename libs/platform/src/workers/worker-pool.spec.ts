import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FixtureCall } from './worker-pool.spec-worker';
import { WorkerPool } from './worker-pool';

const FIXTURE = join(__dirname, 'worker-pool.spec-worker.ts');

describe('WorkerPool', () => {
  let pool: WorkerPool<FixtureCall, number>;

  beforeEach(() => {
    pool = new WorkerPool(FIXTURE, 2, { factor: 3 });
  });

  afterEach(() => pool.close());

  it('answers each call with what the served function returned, given the workerData', async () => {
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, n) => pool.run({ op: 'scale', n })),
    );
    expect(answers).toEqual(Array.from({ length: 50 }, (_, n) => n * 3));
  });

  it('runs asynchronous calls of one worker concurrently and matches answers to calls', async () => {
    const single = new WorkerPool<FixtureCall, number>(FIXTURE, 1, { factor: 1 });
    try {
      await single.run({ op: 'scale', n: 0 });
      const started = Date.now();
      const answers = await Promise.all([
        single.run({ op: 'later', n: 1, ms: 400 }),
        single.run({ op: 'later', n: 2, ms: 10 }),
        single.run({ op: 'later', n: 3, ms: 400 }),
        single.run({ op: 'later', n: 4, ms: 400 }),
      ]);
      expect(answers).toEqual([1, 2, 3, 4]);
      // One after another they would take 1.2 s.
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      await single.close();
    }
  });

  it('moves the input buffers that the caller names for transfer, and copies the others', async () => {
    const moved = new Uint8Array(1000).fill(2);
    const copied = new Uint8Array(1000).fill(3);
    await expect(pool.run({ op: 'sum', bytes: moved }, [moved.buffer])).resolves.toBe(2000);
    await expect(pool.run({ op: 'sum', bytes: copied })).resolves.toBe(3000);
    // Transferred, the caller's handle on the memory is empty; the copied one is untouched.
    expect(moved.byteLength).toBe(0);
    expect(copied).toEqual(new Uint8Array(1000).fill(3));
  });

  it('gives each worker the V8 heap limits it was asked for', async () => {
    const roomy = new WorkerPool<FixtureCall, number>(
      FIXTURE,
      1,
      { factor: 1 },
      { maxYoungGenerationSizeMb: 96 },
    );
    try {
      await expect(roomy.run({ op: 'youngGenerationMb' })).resolves.toBe(96);
    } finally {
      await roomy.close();
    }
  });

  it('rejects a call with the error the function threw, and keeps serving', async () => {
    await expect(pool.run({ op: 'throw' })).rejects.toThrow('the fixture was told to fail');
    await expect(pool.run({ op: 'scale', n: 2 })).resolves.toBe(6);
  });

  it('rejects a call whose output cannot cross threads, and keeps serving', async () => {
    await expect(pool.run({ op: 'uncloneable' })).rejects.toThrow('could not be cloned');
    await expect(pool.run({ op: 'scale', n: 2 })).resolves.toBe(6);
  });

  it('fails the calls of a worker that exits and replaces the worker', async () => {
    await pool.run({ op: 'scale', n: 1 });
    await expect(pool.run({ op: 'exit' })).rejects.toThrow('exited with code 3');
    const answers = await Promise.all([1, 2, 3, 4].map((n) => pool.run({ op: 'scale', n })));
    expect(answers).toEqual([3, 6, 9, 12]);
  });

  it('lets its workers answer the calls under way and run their close hook when it closes', async () => {
    const closedFile = join(mkdtempSync(join(tmpdir(), 'worker-pool-')), 'closed');
    const closing = new WorkerPool<FixtureCall, number>(FIXTURE, 1, { factor: 1, closedFile });
    await closing.run({ op: 'scale', n: 0 });
    const underway = closing.run({ op: 'later', n: 5, ms: 300 });
    await closing.close();
    await expect(underway).resolves.toBe(5);
    expect(readFileSync(closedFile, 'utf8')).toBe('closed');
  });

  it('refuses calls once closed', async () => {
    await pool.close();
    await expect(pool.run({ op: 'scale', n: 1 })).rejects.toThrow('the worker pool is closed');
  });

  it('is ready once every worker has loaded its module', async () => {
    const slow = new WorkerPool<FixtureCall, number>(FIXTURE, 2, { factor: 1, loadMs: 1500 });
    try {
      const started = Date.now();
      await slow.ready();
      expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    } finally {
      await slow.close();
    }
  });

  it('fails calls when its module cannot load, instead of restarting it forever', async () => {
    const broken = new WorkerPool<FixtureCall, number>(join(__dirname, 'no-such.worker.ts'), 1);
    try {
      await expect(broken.ready()).rejects.toThrow('no-such.worker.ts');
      await expect(broken.run({ op: 'scale', n: 1 })).rejects.toThrow();
      await new Promise((resolve) => setTimeout(resolve, 200));
      await expect(broken.run({ op: 'scale', n: 1 })).rejects.toThrow('no worker thread');
    } finally {
      await broken.close();
    }
  });

  it('starts its workers in a process run with V8 flags, which a worker may not be given', () => {
    const script = `
      const { WorkerPool } = require(${JSON.stringify(join(__dirname, 'worker-pool.ts'))});
      const pool = new WorkerPool(${JSON.stringify(FIXTURE)}, 1, { factor: 5 });
      pool.run({ op: 'scale', n: 7 }).then((n) => { console.log(n); return pool.close(); });
    `;
    const printed = execFileSync(
      process.execPath,
      ['--max-old-space-size=256', '--require', 'ts-node/register/transpile-only', '-e', script],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect(printed.trim()).toBe('35');
  });

  it('needs at least one worker', () => {
    expect(() => new WorkerPool(FIXTURE, 0)).toThrow('a worker pool needs 1 or more workers');
  });
});
