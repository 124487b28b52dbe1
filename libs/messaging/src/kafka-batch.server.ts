import { Logger } from '@nestjs/common';
import { type CustomTransportStrategy, Server } from '@nestjs/microservices';
import { type Consumer, type EachBatchPayload, type Kafka, KafkaJSError } from 'kafkajs';
import { isObservable, lastValueFrom } from 'rxjs';
import { gauge, histogram } from '@gw/platform';
import type { ConsumerHealth } from './consumer-health';
import type { InboundBatch, InboundMessage } from './inbound-batch';

export interface KafkaBatchServerOptions {
  kafka: Kafka;
  groupId: string;
  health: ConsumerHealth;
  /** Partitions handled at the same time by this process. */
  concurrency: number;
  maxBytesPerPartition: number;
  fromBeginning: boolean;
  /** Handler pattern -> topic actually consumed (benchmarks read a fresh topic). */
  topicOverrides?: Record<string, string>;
}

const batchSize = histogram(
  'consumer_batch_size',
  'Messages per handled batch',
  [1, 10, 100, 500, 1000, 2000, 5000, 10000],
  ['topic'],
);
const batchSeconds = histogram(
  'consumer_batch_seconds',
  'Time to handle and commit one batch',
  [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
  ['topic'],
);
const lag = gauge(
  'consumer_lag_messages',
  'Messages behind the partition end after the last batch',
  ['topic', 'partition'],
);

/**
 * A Nest microservice transport that hands whole partition batches to `@EventPattern(topic)`
 * handlers (Nest's own Kafka transport delivers one message at a time and has no batch commit).
 * Offsets are committed only after the handler resolved, so a crash redelivers, never loses.
 */
export class KafkaBatchServer extends Server implements CustomTransportStrategy {
  protected override readonly logger = new Logger(KafkaBatchServer.name);
  private consumer: Consumer | null = null;
  private patternOf = new Map<string, string>();

  constructor(private readonly options: KafkaBatchServerOptions) {
    super();
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      await this.start();
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = null;
    await consumer?.disconnect();
    this.options.health.stopped();
  }

  on(): never {
    throw new Error('KafkaBatchServer has no events to subscribe to');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  private async start(): Promise<void> {
    const { kafka, groupId, health, concurrency, maxBytesPerPartition, fromBeginning } =
      this.options;
    const overrides = this.options.topicOverrides ?? {};
    const patterns = [...this.messageHandlers.keys()];
    this.patternOf = new Map(patterns.map((p) => [overrides[p] ?? p, p]));
    const topics = [...this.patternOf.keys()];
    const consumer = kafka.consumer({
      groupId,
      maxBytesPerPartition,
      maxBytes: maxBytesPerPartition * 4,
      sessionTimeout: 30000,
      heartbeatInterval: 3000,
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    const { FETCH_START, HEARTBEAT, GROUP_JOIN, CRASH, STOP } = consumer.events;
    for (const event of [FETCH_START, HEARTBEAT, GROUP_JOIN])
      consumer.on(event, () => health.touch());
    consumer.on(CRASH, ({ payload }) => {
      this.logger.error({
        msg: 'consumer crashed',
        error: payload.error.message,
        restart: payload.restart,
      });
      if (!payload.restart) health.stopped(payload.error.message);
    });
    consumer.on(STOP, () => health.stopped());
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: concurrency,
      eachBatch: (payload) => this.handleBatch(consumer, payload),
    });
    health.started();
    this.logger.log({ msg: 'consuming', topics, groupId, concurrency });
  }

  private async handleBatch(
    consumer: Consumer,
    { batch, heartbeat, isRunning, isStale, resolveOffset }: EachBatchPayload,
  ): Promise<void> {
    if (batch.messages.length === 0 || !isRunning() || isStale()) return;
    const started = process.hrtime.bigint();
    const inbound: InboundBatch = {
      topic: batch.topic,
      partition: batch.partition,
      messages: batch.messages.map(toInbound),
    };
    const handler = this.getHandlerByPattern(this.patternOf.get(batch.topic) ?? batch.topic);
    if (!handler) throw new Error(`no handler for topic ${batch.topic}`);
    try {
      const result = await handler(inbound);
      if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
    } catch (error) {
      // kafkajs gives up for good on errors it does not know as retriable; a database or broker
      // outage is temporary, so the batch is retried with backoff and, after that, the consumer restarts.
      const message = error instanceof Error ? error.message : JSON.stringify(error);
      this.logger.error({
        msg: 'batch failed; it will be retried',
        topic: batch.topic,
        partition: batch.partition,
        error: message,
      });
      throw new KafkaJSError(message, { retriable: true });
    }
    const last = batch.lastOffset();
    await consumer.commitOffsets([
      { topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() },
    ]);
    resolveOffset(last);
    await heartbeat();
    this.options.health.touch();
    batchSize.observe({ topic: batch.topic }, batch.messages.length);
    batchSeconds.observe({ topic: batch.topic }, Number(process.hrtime.bigint() - started) / 1e9);
    lag.set(
      { topic: batch.topic, partition: String(batch.partition) },
      Number(batch.offsetLagLow()),
    );
  }
}

function toInbound(message: EachBatchPayload['batch']['messages'][number]): InboundMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined)
      headers[name] = Array.isArray(value) ? String(value[0]) : String(value);
  }
  return {
    key: message.key,
    value: message.value,
    headers,
    offset: message.offset,
    timestamp: message.timestamp,
  };
}
