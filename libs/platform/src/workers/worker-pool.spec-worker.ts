import { workerData } from 'node:worker_threads';
import { serveInWorker } from './worker-pool';

/** The worker of worker-pool.spec.ts. */
export type FixtureCall =
  | { op: 'scale'; n: number }
  | { op: 'later'; n: number; ms: number }
  | { op: 'bytes'; n: number }
  | { op: 'lastBytesLeft' }
  | { op: 'sum'; bytes: Uint8Array }
  | { op: 'throw' }
  | { op: 'exit' };

const factor = (workerData as { factor: number }).factor;
let lastBytes = new ArrayBuffer(0);

serveInWorker(
  async (call: FixtureCall): Promise<number | ArrayBuffer> => {
    switch (call.op) {
      case 'scale':
        return call.n * factor;
      case 'later':
        await new Promise((resolve) => setTimeout(resolve, call.ms));
        return call.n;
      case 'bytes':
        lastBytes = new Uint8Array(call.n).fill(7).buffer;
        return lastBytes;
      case 'lastBytesLeft':
        return lastBytes.byteLength;
      case 'sum':
        return call.bytes.reduce((sum, byte) => sum + byte, 0);
      case 'throw':
        throw new Error('the fixture was told to fail');
      case 'exit':
        return process.exit(3);
    }
  },
  (output) => (output instanceof ArrayBuffer ? [output] : []),
);
