import { workerData } from 'node:worker_threads';
import { serveInWorker } from './worker-pool';

/** The worker of worker-pool.spec.ts. */
export type FixtureCall =
  | { op: 'scale'; n: number }
  | { op: 'later'; n: number; ms: number }
  | { op: 'throw' }
  | { op: 'exit' };

const factor = (workerData as { factor: number }).factor;

serveInWorker(async (call: FixtureCall) => {
  switch (call.op) {
    case 'scale':
      return call.n * factor;
    case 'later':
      await new Promise((resolve) => setTimeout(resolve, call.ms));
      return call.n;
    case 'throw':
      throw new Error('the fixture was told to fail');
    case 'exit':
      return process.exit(3);
  }
});
