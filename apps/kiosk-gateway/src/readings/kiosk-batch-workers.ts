import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { SubmissionPublisher } from '@gw/messaging';
import { type KafkaSecurity, kafkaSecurity, WorkerPool } from '@gw/platform';
import { extname, join } from 'node:path';
import { KIOSK_ENV, KIOSK_GATEWAY, type KioskEnv } from '../kiosk.env';
import type { KioskBatchInput } from './prepare-kiosk-batch';
import { type QueuedKioskBatch, queueKioskBatch } from './queue-kiosk-batch';

/** This file's sibling, as .ts under ts-node and jest and as .js once built. */
const WORKER = join(__dirname, `kiosk-batch.worker${extname(__filename)}`);

/** What a worker thread needs for a Kafka publisher of its own. */
export interface KioskWorkerData {
  brokers: string[];
  security: KafkaSecurity;
  clientId: string;
  sendTimeoutMs: number;
  topic: string;
  logLevel: string;
}

/**
 * Runs queueKioskBatch in KIOSK_WORKER_THREADS worker threads, each with its own Kafka publisher
 * (with 0, on the event loop with the app's). Parsing, class-validator, canonical JSON and Kafka's
 * encoding are most of a batch's CPU; in workers they leave the event loop to HTTP, signatures and
 * nonces, and use the host's other cores.
 */
@Injectable()
export class KioskBatchWorkers implements OnModuleInit, OnApplicationShutdown {
  private readonly pool: WorkerPool<KioskBatchInput, QueuedKioskBatch> | null;

  constructor(
    @Inject(KIOSK_ENV) private readonly env: KioskEnv,
    private readonly publisher: SubmissionPublisher,
  ) {
    this.pool =
      env.KIOSK_WORKER_THREADS > 0
        ? new WorkerPool(
            WORKER,
            env.KIOSK_WORKER_THREADS,
            {
              brokers: env.KAFKA_BROKERS,
              security: kafkaSecurity(env),
              clientId: KIOSK_GATEWAY,
              sendTimeoutMs: env.KAFKA_SEND_TIMEOUT_MS,
              topic: env.KIOSK_SUBMISSION_TOPIC,
              logLevel: env.LOG_LEVEL,
            } satisfies KioskWorkerData,
            { maxYoungGenerationSizeMb: env.KIOSK_WORKER_YOUNG_GENERATION_MB },
          )
        : null;
  }

  /** The gateway takes no request before its workers have loaded; one that cannot load fails the boot. */
  async onModuleInit(): Promise<void> {
    await this.pool?.ready();
  }

  /** The body moves to the worker when it has an ArrayBuffer of its own: it is not usable here afterwards. */
  queue(input: KioskBatchInput): Promise<QueuedKioskBatch> {
    if (!this.pool) return queueKioskBatch(input, this.publisher, this.env.KIOSK_SUBMISSION_TOPIC);
    const { body } = input;
    // A small body lives in Buffer's shared pool, which must never move: that one is copied.
    const owned = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength;
    return this.pool.run(input, owned ? [body.buffer as ArrayBuffer] : []);
  }

  /** After the HTTP server has closed: every batch under way is answered first. */
  async onApplicationShutdown(): Promise<void> {
    await this.pool?.close();
  }
}
