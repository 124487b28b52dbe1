import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { WorkerPool } from '@gw/platform';
import { extname, join } from 'node:path';
import { KIOSK_ENV, type KioskEnv } from '../kiosk.env';
import {
  type KioskBatchInput,
  type PreparedKioskBatch,
  prepareKioskBatch,
} from './prepare-kiosk-batch';

/** This file's sibling, as .ts under ts-node and jest and as .js once built. */
const WORKER = join(__dirname, `kiosk-batch.worker${extname(__filename)}`);

/**
 * Runs prepareKioskBatch in KIOSK_WORKER_THREADS worker threads (with 0, on the event loop).
 * Parsing, class-validator and canonical JSON are most of a batch's CPU; in workers they leave
 * the event loop to HTTP, signatures and Kafka, and use the host's other cores.
 */
@Injectable()
export class KioskBatchWorkers implements OnModuleDestroy {
  private readonly pool: WorkerPool<KioskBatchInput, PreparedKioskBatch> | null;

  constructor(@Inject(KIOSK_ENV) env: KioskEnv) {
    this.pool =
      env.KIOSK_WORKER_THREADS > 0 ? new WorkerPool(WORKER, env.KIOSK_WORKER_THREADS) : null;
  }

  /** The body moves to the worker when it has an ArrayBuffer of its own: it is not usable here afterwards. */
  prepare(input: KioskBatchInput): Promise<PreparedKioskBatch> {
    if (!this.pool) return Promise.resolve(prepareKioskBatch(input));
    const { body } = input;
    // A small body lives in Buffer's shared pool, which must never move: that one is copied.
    const owned = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength;
    return this.pool.run(input, owned ? [body.buffer as ArrayBuffer] : []);
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool?.close();
  }
}
