import { writeFileSync } from 'node:fs';
import { resourceLimits, workerData } from 'node:worker_threads';
import { serveInWorker } from './worker-pool';

/** The worker of worker-pool.spec.ts. */
export type FixtureCall =
  | { op: 'scale'; n: number }
  | { op: 'later'; n: number; ms: number }
  | { op: 'sum'; bytes: Uint8Array }
  | { op: 'youngGenerationMb' }
  | { op: 'throw' }
  | { op: 'uncloneable' }
  | { op: 'exit' };

const { factor, closedFile, loadMs } = workerData as {
  factor: number;
  closedFile?: string;
  /** How long the module takes to load. */
  loadMs?: number;
};
if (loadMs) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, loadMs);

serveInWorker(
  async (call: FixtureCall): Promise<number> => {
    switch (call.op) {
      case 'scale':
        return call.n * factor;
      case 'later':
        await new Promise((resolve) => setTimeout(resolve, call.ms));
        return call.n;
      case 'sum':
        return call.bytes.reduce((sum, byte) => sum + byte, 0);
      case 'youngGenerationMb':
        return resourceLimits.maxYoungGenerationSizeMb as number;
      case 'throw':
        throw new Error('the fixture was told to fail');
      case 'uncloneable':
        return (() => 1) as unknown as number;
      case 'exit':
        return process.exit(3);
    }
  },
  // What the worker holds is closed last, once its calls are answered.
  () => closedFile && writeFileSync(closedFile, 'closed'),
);
