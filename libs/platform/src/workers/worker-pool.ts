import { extname } from 'node:path';
import { parentPort, type ResourceLimits, Worker } from 'node:worker_threads';
import { REGISTER_ALIASES } from '../aliases/register-aliases';

interface Call<I> {
  id: number;
  input: I;
}

/** Asks a worker to finish the calls it has, run its close hook and exit. */
interface Close {
  close: true;
}

/** How long a closing worker may take before it is terminated. */
const CLOSE_TIMEOUT_MS = 10_000;

type Answer<O> =
  | { id: number; ok: true; output: O }
  | { id: number; ok: false; error: string }
  /** Sent once, when the served module has loaded. */
  | { ready: true };

interface Pending<O> {
  resolve: (output: O) => void;
  reject: (error: Error) => void;
}

interface Slot<O> {
  worker: Worker;
  pending: Map<number, Pending<O>>;
  state: 'starting' | 'running' | 'exited';
  /** Settles when the worker's module has loaded, or failed to. */
  loaded: Promise<void>;
}

/**
 * A worker resolves modules on its own, so it is started by a small bootstrap that sets up what
 * the main thread has: for a TypeScript module (development and tests) what scripts/run-ts.js
 * does, for the built output the `@gw/*` aliases. A bootstrap rather than `--require` flags: a
 * worker given its own execArgv refuses the process's V8 flags (`--max-old-space-size`, say),
 * whereas one left to inherit them drops those.
 */
const bootstrap = (file: string) =>
  extname(file) === '.ts'
    ? `require('ts-node/register/transpile-only'); require('tsconfig-paths/register'); require(${JSON.stringify(file)});`
    : `require(${JSON.stringify(REGISTER_ALIASES)}).registerAliases(); require(${JSON.stringify(file)});`;

/**
 * Runs the function that a module serves with `serveInWorker` in `size` worker threads, so
 * CPU-heavy work per request leaves the event loop free. Each worker gets `workerData`; inputs and
 * outputs cross threads by structured clone. A worker that dies fails its calls and is replaced.
 * `close` lets every worker finish its calls and close what it holds.
 */
export class WorkerPool<I, O> {
  private readonly workers: Slot<O>[] = [];
  private nextId = 0;
  private closed = false;

  constructor(
    private readonly file: string,
    size: number,
    private readonly workerData?: unknown,
    /** V8 heap limits of each worker, such as a larger young generation for one that allocates fast. */
    private readonly resourceLimits?: ResourceLimits,
  ) {
    if (!Number.isInteger(size) || size < 1)
      throw new Error('a worker pool needs 1 or more workers');
    for (let i = 0; i < size; i += 1) this.workers.push(this.spawn());
  }

  /** `transfer` names ArrayBuffers of the input that move to the worker instead of being copied. */
  run(input: I, transfer: ArrayBuffer[] = []): Promise<O> {
    if (this.closed) return Promise.reject(new Error('the worker pool is closed'));
    // A worker still starting takes calls too: they wait in its message queue.
    const slot = this.workers
      .filter((w) => w.state !== 'exited')
      .reduce<Slot<O> | null>(
        (a, b) => (a === null || b.pending.size < a.pending.size ? b : a),
        null,
      );
    if (slot === null) return Promise.reject(new Error(`no worker thread of ${this.file} runs`));
    const id = (this.nextId += 1);
    return new Promise<O>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, input } satisfies Call<I>, transfer);
    });
  }

  /** Resolves once every worker has loaded its module; rejects if one could not. */
  async ready(): Promise<void> {
    await Promise.all(this.workers.map(({ loaded }) => loaded));
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      this.workers.map(async ({ worker, state }) => {
        if (state === 'exited') return;
        const exited = new Promise((resolve) => worker.once('exit', resolve));
        worker.postMessage({ close: true } satisfies Close);
        const overdue = setTimeout(() => void worker.terminate(), CLOSE_TIMEOUT_MS);
        await exited;
        clearTimeout(overdue);
      }),
    );
  }

  private spawn(): Slot<O> {
    const worker = new Worker(bootstrap(this.file), {
      eval: true,
      workerData: this.workerData,
      resourceLimits: this.resourceLimits,
    });
    let load = { done: () => {}, failed: (_error: Error) => {} };
    const loaded = new Promise<void>((done, failed) => (load = { done, failed }));
    // Only `ready` awaits it, for the first workers; a replacement's load is awaited by no one.
    loaded.catch(() => undefined);
    const slot: Slot<O> = { worker, pending: new Map(), state: 'starting', loaded };
    worker.unref();
    worker.on('message', (answer: Answer<O>) => {
      if ('ready' in answer) {
        slot.state = 'running';
        load.done();
        return;
      }
      const call = slot.pending.get(answer.id);
      slot.pending.delete(answer.id);
      if (answer.ok) call?.resolve(answer.output);
      else call?.reject(new Error(answer.error));
    });
    const fail = (error: Error) => {
      load.failed(error);
      for (const call of slot.pending.values()) call.reject(error);
      slot.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      fail(new Error(`a worker thread of ${this.file} exited with code ${code}`));
      const started = slot.state === 'running';
      slot.state = 'exited';
      // One whose module never loaded (missing or broken) would only fail again.
      if (this.closed || !started) return;
      this.workers[this.workers.indexOf(slot)] = this.spawn();
    });
    return slot;
  }
}

/**
 * The worker side of a WorkerPool: answers every call with what `fn(input)` returns or resolves
 * to, or with the error it threw; calls run concurrently when `fn` is asynchronous. When the pool
 * closes, the calls under way are answered, then `close` runs and the worker exits.
 */
export function serveInWorker<I, O>(
  fn: (input: I) => O | Promise<O>,
  close: () => unknown = () => undefined,
): void {
  if (!parentPort) throw new Error('serveInWorker runs only in a worker thread');
  const port = parentPort;
  const underway = new Set<Promise<void>>();
  port.on('message', (message: Call<I> | Close) => {
    if ('close' in message) {
      void Promise.allSettled(underway)
        .then(close)
        .finally(() => process.exit(0));
      return;
    }
    const { id, input } = message;
    // An output that cannot cross threads is answered as the error it is, like a thrown one.
    const answered = new Promise<O>((resolve) => resolve(fn(input)))
      .then((output) => port.postMessage({ id, ok: true, output } satisfies Answer<O>))
      .catch((error: Error) =>
        port.postMessage({ id, ok: false, error: error.message } satisfies Answer<O>),
      );
    underway.add(answered);
    void answered.finally(() => underway.delete(answered));
  });
  port.postMessage({ ready: true } satisfies Answer<O>);
}
