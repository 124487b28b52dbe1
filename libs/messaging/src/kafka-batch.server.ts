import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { type CustomTransportStrategy, Server } from '@nestjs/microservices';
import type {
  Admin,
  Consumer,
  ConsumerEndBatchProcessEvent,
  EachBatchPayload,
  Kafka,
} from 'kafkajs';
import { isObservable, lastValueFrom } from 'rxjs';
import {
  counter,
  type DependencyOutageCheck,
  gauge,
  histogram,
  logRetriedFailure,
} from '@gw/platform';
import type { ConsumerHealth } from './consumer-health';
import { type ConsumerTuning, retryDelayMs } from './consumer-tuning';
import type { InboundBatch, InboundMessage } from './inbound-batch';
import { isStartupElection } from './kafka-client';
import type { TopicPartition } from './partition-progress';

export interface KafkaBatchServerOptions {
  kafka: Kafka;
  groupId: string;
  health: ConsumerHealth;
  /** Partitions handled at the same time by this process. */
  concurrency: number;
  maxBytesPerPartition: number;
  fromBeginning: boolean;
  tuning: ConsumerTuning;
  /** Handler pattern -> topic actually consumed (benchmarks read a fresh topic). */
  topicOverrides?: Record<string, string>;
  /**
   * The app's database errors that are an outage: a batch failing with one (or with Kafka out) is
   * logged as a warning, any other failure as an error.
   */
  isOutage?: DependencyOutageCheck;
}

/** The consumer metrics: registered by a process that consumes, not by every importer. */
const consumerMetrics = () => ({
  batchSize: histogram(
    'consumer_batch_size',
    'Messages per handled batch',
    [1, 10, 100, 500, 1000, 2000, 5000, 10000],
    ['topic'],
  ),
  batchSeconds: histogram(
    'consumer_batch_seconds',
    'Time to handle and commit one batch',
    [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
    ['topic'],
  ),
  batchRetries: counter(
    'consumer_batch_retries_total',
    'Failed attempts at handling or committing a batch, each retried after a backoff',
    ['topic'],
  ),
  lag: gauge('consumer_lag_messages', 'Messages of an owned partition after its committed offset', [
    'topic',
    'partition',
  ]),
  lastCommit: gauge(
    'consumer_last_commit_timestamp_seconds',
    'When this process last committed an owned partition, or took it over (unix seconds)',
    ['topic', 'partition'],
  ),
});

// kafkajs throws these from a heartbeat when this member's place in the group is gone: the batch
// in hand belongs to whoever gets the partition next, and kafkajs rejoins when it sees them.
const LOST_MEMBERSHIP = new Set([
  'REBALANCE_IN_PROGRESS',
  'NOT_COORDINATOR_FOR_GROUP',
  'ILLEGAL_GENERATION',
  'UNKNOWN_MEMBER_ID',
]);

/**
 * kafkajs keeps the group coordinator it found when this member joined and commits only to it: once
 * that broker has left the cluster for good, every commit fails with this error until the consumer
 * joins again. Retrying in place cannot cure it; thrown back, kafkajs fetches the batch again and,
 * after its own retries, restarts the consumer, which finds the group's current coordinator.
 */
function coordinatorGone(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'KafkaJSBrokerNotFound';
}

// An idle fetch waits this long on the broker; stopping and noticing a rebalance wait for it.
const MAX_FETCH_WAIT_MS = 1000;

/**
 * A Nest microservice transport that hands whole partition batches to `@EventPattern(topic)`
 * handlers (Nest's own Kafka transport delivers one message at a time and has no batch commit).
 * Offsets are committed only after the handler resolved, so a crash redelivers, never loses.
 *
 * A handler that throws is taken to have met a passing outage: the same batch is tried again in
 * this process with a growing backoff, heartbeating meanwhile, until it succeeds, the partition
 * moves to another member, or the consumer stops. The consumer itself is started (and restarted
 * after a crash kafkajs gives up on) with the same backoff, growing until a consumer gets running,
 * so a broker that is down at boot, or a batch kafkajs cannot decode, only keeps readiness red.
 */
export class KafkaBatchServer extends Server implements CustomTransportStrategy {
  protected override readonly logger = new Logger(KafkaBatchServer.name);
  private readonly metrics = consumerMetrics();
  private consumer: Consumer | null = null;
  private admin: Admin | null = null;
  private patternOf = new Map<string, string>();
  private closing = new AbortController();
  private lagTimer: NodeJS.Timeout | null = null;
  /** The lag refresh in flight, if any: close() waits for it, so none outlives the server. */
  private lagRefresh: Promise<void> | null = null;
  /** Commits past batches with nothing to handle, by partition, until they settle. */
  private readonly skips = new Map<string, Promise<void>>();
  /**
   * Crashes kafkajs gave up on since a consumer last got running (see `ConsumerHealth`): they
   * space out new consumers. Joining the group is no progress: a batch kafkajs cannot decode
   * crashes every new consumer on its first fetch after it joined.
   */
  private crashes = 0;

  /** When the transport began to listen: a coordinator still elected then is start-up. */
  private startedAt = Date.now();

  constructor(private readonly options: KafkaBatchServerOptions) {
    super();
  }

  /** Boot waits for the first attempt only, so a reachable broker is joined before the app serves. */
  async listen(callback: (error?: unknown) => void): Promise<void> {
    this.closing = new AbortController();
    this.startedAt = Date.now();
    const overrides = this.options.topicOverrides ?? {};
    this.patternOf = new Map(
      [...this.messageHandlers.keys()].map((p) => [overrides[p] ?? p, p] as const),
    );
    await new Promise<void>((firstAttempt) => void this.keepStarting(firstAttempt));
    const refreshMs = Math.min(
      15000,
      Math.max(1000, (this.options.tuning.stallSeconds * 1000) / 4),
    );
    this.lagTimer = setInterval(() => void this.refreshLag(), refreshMs).unref();
    callback();
  }

  /**
   * Stops fetching, lets the batch in hand finish and commit, and leaves the group, so its
   * partitions move to another member at once; gives up waiting after the drain timeout.
   */
  async close(): Promise<void> {
    this.closing.abort();
    if (this.lagTimer) clearInterval(this.lagTimer);
    const { drainTimeoutMs } = this.options.tuning;
    const consumer = this.consumer;
    this.consumer = null;
    if (consumer) {
      const left = await Promise.race([
        consumer.disconnect().then(
          () => true,
          (error: unknown) => {
            this.logger.warn({ msg: 'consumer did not leave cleanly', error: errorMessage(error) });
            return true;
          },
        ),
        sleep(drainTimeoutMs, false, { ref: false }),
      ]);
      if (!left)
        this.logger.warn({ msg: 'batch in hand not finished in time; leaving it', drainTimeoutMs });
    }
    // Bounded as the drain is: a refresh waiting on a broker that is gone would hold the close.
    await Promise.race([this.lagRefresh, sleep(drainTimeoutMs, undefined, { ref: false })]);
    await this.admin?.disconnect().catch(() => undefined);
    this.admin = null;
    this.forget(this.options.health.stopped());
  }

  on(): never {
    throw new Error('KafkaBatchServer has no events to subscribe to');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  private get stopping(): boolean {
    return this.closing.signal.aborted;
  }

  /** A wait that ends early when the server closes. */
  private async pause(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.closing.signal }).catch(() => undefined);
  }

  private async keepStarting(firstAttempt: () => void): Promise<void> {
    for (let attempt = 1; !this.stopping; attempt += 1) {
      const error = await this.start().then(
        () => null,
        (e: unknown) => errorMessage(e),
      );
      firstAttempt();
      if (error === null) return;
      const delayMs = retryDelayMs(attempt, this.options.tuning);
      this.forget(this.options.health.stopped(error));
      this.logger.warn({ msg: 'consumer could not start; retrying', attempt, delayMs, error });
      await this.pause(delayMs);
    }
  }

  private async start(): Promise<void> {
    const { kafka, groupId, health, concurrency, maxBytesPerPartition, fromBeginning, tuning } =
      this.options;
    const topics = [...this.patternOf.keys()];
    const consumer = kafka.consumer({
      groupId,
      maxBytesPerPartition,
      maxBytes: maxBytesPerPartition * 4,
      maxWaitTimeInMs: MAX_FETCH_WAIT_MS,
      sessionTimeout: tuning.sessionTimeoutMs,
      heartbeatInterval: tuning.heartbeatIntervalMs,
      allowAutoTopicCreation: false,
    });
    const { FETCH_START, FETCH, HEARTBEAT, GROUP_JOIN, CRASH, END_BATCH_PROCESS } = consumer.events;
    consumer.on(GROUP_JOIN, ({ payload }) => {
      const kept = new Set(health.assigned().map(keyOf));
      this.forget(health.joined(payload.memberAssignment));
      // A partition taken over starts its commit clock now, as its stall clock: one whose first
      // batch here keeps failing is then seen by an alert on lag and no recent commit.
      const now = Math.floor(Date.now() / 1000);
      for (const taken of health.assigned().filter((p) => !kept.has(keyOf(p))))
        this.metrics.lastCommit.set(
          { topic: taken.topic, partition: String(taken.partition) },
          now,
        );
      void this.refreshLag();
    });
    consumer.on(FETCH_START, ({ payload }) => health.fetching(payload.nodeId));
    consumer.on(FETCH, ({ payload }) => {
      if (health.fetched(payload.nodeId)) this.crashes = 0;
    });
    consumer.on(HEARTBEAT, () => health.touch());
    consumer.on(END_BATCH_PROCESS, ({ payload }) => {
      if (payload.batchSize === 0) this.commitPast(consumer, payload);
    });
    // kafkajs restarts the consumer after most crashes (emitting STOP on the way, which is why
    // STOP says nothing about health); after the others this transport starts a new one.
    consumer.on(CRASH, ({ payload }) => {
      const error = errorMessage(payload.error);
      if (payload.restart) {
        const line = { msg: 'consumer crashed; kafkajs restarts it', error };
        if (isStartupElection(this.startedAt, { message: error })) this.logger.debug(line);
        else this.logger.error(line);
        return health.crashed(error);
      }
      this.forget(health.stopped(error));
      if (this.consumer !== consumer || this.stopping) return;
      this.consumer = null;
      this.crashes += 1;
      const delayMs = retryDelayMs(this.crashes, tuning);
      this.logger.warn({
        msg: 'consumer crashed; starting a new one',
        attempt: this.crashes,
        delayMs,
        error,
      });
      void this.pause(delayMs).then(() => this.keepStarting(() => undefined));
    });
    this.consumer = consumer;
    try {
      await consumer.connect();
      await consumer.subscribe({ topics, fromBeginning });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: concurrency,
        eachBatch: (payload) => this.handleBatch(payload),
      });
      // Closed while connecting: close() has already let go of this consumer.
      if (this.stopping) throw new Error('closed while starting');
    } catch (error) {
      this.consumer = null;
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
    this.logger.log({ msg: 'consuming', topics, groupId, concurrency });
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, isRunning, isStale, resolveOffset, commitOffsetsIfNecessary } = payload;
    if (batch.messages.length === 0 || !isRunning() || isStale()) return;
    const started = process.hrtime.bigint();
    const { topic, partition } = batch;
    const handler = this.getHandlerByPattern(this.patternOf.get(topic) ?? topic);
    if (!handler) throw new Error(`no handler for topic ${topic}`);
    const inbound: InboundBatch = { topic, partition, messages: batch.messages.map(toInbound) };
    const handled = await this.untilDone(payload, 'batch failed', async () => {
      const result = await handler(inbound);
      if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
    });
    if (!handled) return;
    const next = (BigInt(batch.lastOffset()) + 1n).toString();
    await this.skips.get(keyOf(batch));
    // Straight to the group, not through consumer.commitOffsets, which does nothing once the
    // consumer is stopping: the batch finished during a drain is committed too.
    const committed = await this.untilDone(
      payload,
      'commit failed',
      () =>
        commitOffsetsIfNecessary({
          topics: [{ topic, partitions: [{ partition, offset: next }] }],
        }),
      coordinatorGone,
    );
    if (!committed) return;
    resolveOffset(batch.lastOffset());
    const behind = Number(batch.offsetLag());
    this.options.health.committed({ topic, partition }, next, behind);
    const labels = { topic, partition: String(partition) };
    this.metrics.lag.set(labels, behind);
    this.metrics.lastCommit.set(labels, Math.floor(Date.now() / 1000));
    this.metrics.batchSize.observe({ topic }, batch.messages.length);
    this.metrics.batchSeconds.observe({ topic }, Number(process.hrtime.bigint() - started) / 1e9);
  }

  /**
   * Commits past a batch kafkajs filtered down to nothing (an aborted transaction's records, a
   * transaction marker fetched on its own): kafkajs hands eachBatch none, only moves its fetch
   * position, and without a commit the partition would count as behind, then stalled, until its
   * next record. Such a batch starts where `handleBatch` resolved, after its commit, so this passes
   * no unhandled record. The commit is sent at once, in the generation the batch was fetched in (a
   * rebalance since makes the broker refuse it), and the partition's next batch waits for it, so
   * the committed offset never moves back. A failed one is left to that batch, or the next owner.
   */
  private commitPast(
    consumer: Consumer,
    { topic, partition, lastOffset }: ConsumerEndBatchProcessEvent['payload'],
  ): void {
    const key = keyOf({ topic, partition });
    const offset = (BigInt(lastOffset) + 1n).toString();
    const commit = consumer
      .commitOffsets([{ topic, partition, offset }])
      .catch((error: unknown) =>
        this.logger.warn({
          msg: 'commit past filtered records failed',
          topic,
          partition,
          error: errorMessage(error),
        }),
      )
      .finally(() => {
        if (this.skips.get(key) === commit) this.skips.delete(key);
      });
    this.skips.set(key, commit);
  }

  /**
   * Runs `work` until it succeeds (true), or until retrying is pointless (false): the consumer is
   * stopping, or the partition went to another member, which starts again from the last commit.
   * Errors that lose this member its place, and those `handBack` names, go to kafkajs.
   */
  private async untilDone(
    payload: EachBatchPayload,
    failure: string,
    work: () => Promise<void>,
    handBack: (error: unknown) => boolean = () => false,
  ): Promise<boolean> {
    const { topic, partition, highWatermark } = payload.batch;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.heartbeating(payload, work);
        return true;
      } catch (error) {
        if (lostMembership(error) || handBack(error)) throw error;
        const delayMs = retryDelayMs(attempt, this.options.tuning);
        logRetriedFailure(
          this.logger,
          {
            msg: `${failure}; retrying`,
            topic,
            partition,
            attempt,
            delayMs,
            error: errorMessage(error),
          },
          error,
          this.options.isOutage ?? (() => false),
        );
        this.metrics.batchRetries.inc({ topic });
        const behind = Number(BigInt(highWatermark) - BigInt(payload.batch.firstOffset() ?? '0'));
        this.options.health.observed({ topic, partition }, behind);
        this.metrics.lag.set({ topic, partition: String(partition) }, behind);
        if (!(await this.waitHeartbeating(payload, delayMs))) return false;
      }
    }
  }

  /**
   * kafkajs heartbeats only when asked to: without this, an attempt longer than the session (a
   * slow database) would cost the member its place in the group. A lost place shows at the commit.
   */
  private async heartbeating(payload: EachBatchPayload, work: () => Promise<void>): Promise<void> {
    const timer = setInterval(
      () => void payload.heartbeat().catch(() => undefined),
      this.options.tuning.heartbeatIntervalMs,
    );
    try {
      await work();
    } finally {
      clearInterval(timer);
    }
  }

  /** Waits `ms`, heartbeating so the group keeps this member; false when retrying is pointless. */
  private async waitHeartbeating(
    { heartbeat, isRunning, isStale }: EachBatchPayload,
    ms: number,
  ): Promise<boolean> {
    const until = Date.now() + ms;
    const keepGoing = () => isRunning() && !isStale() && !this.stopping;
    while (keepGoing() && Date.now() < until) {
      await this.pause(Math.min(this.options.tuning.heartbeatIntervalMs, until - Date.now()));
      await heartbeat().catch((error: unknown) => {
        if (lostMembership(error)) throw error;
      });
    }
    return keepGoing();
  }

  /**
   * Reads each owned partition's committed offset and end from the broker: the lag of a partition
   * whose batches fail, or that this process no longer fetches, is then still current.
   */
  private refreshLag(): Promise<void> {
    this.lagRefresh ??= this.readLag().finally(() => (this.lagRefresh = null));
    return this.lagRefresh;
  }

  private async readLag(): Promise<void> {
    const { kafka, groupId, health, fromBeginning } = this.options;
    const owned = health.assigned();
    if (owned.length === 0 || this.stopping) return;
    const admin = this.admin ?? kafka.admin({ retry: { retries: 0 } });
    this.admin = admin;
    try {
      await admin.connect();
      for (const topic of new Set(owned.map((p) => p.topic))) {
        const [ends, [offsets]] = await Promise.all([
          admin.fetchTopicOffsets(topic),
          admin.fetchOffsets({ groupId, topics: [topic] }),
        ]);
        const committedOf = new Map(offsets.partitions.map((p) => [p.partition, Number(p.offset)]));
        for (const { partition, low, high } of ends) {
          if (!owned.some((p) => p.topic === topic && p.partition === partition)) continue;
          const committed = committedOf.get(partition) ?? -1;
          const from = committed >= 0 ? committed : Number(fromBeginning ? low : high);
          const behind = Math.max(0, Number(high) - from);
          health.observed(
            { topic, partition },
            behind,
            committed >= 0 ? String(committed) : undefined,
          );
          this.metrics.lag.set({ topic, partition: String(partition) }, behind);
        }
      }
    } catch (error) {
      this.logger.debug({ msg: 'lag refresh failed', error: errorMessage(error) });
      this.admin = null;
      await admin.disconnect().catch(() => undefined);
    } finally {
      // A request in flight when the server closed may have reconnected the admin client.
      if (this.stopping) await admin.disconnect().catch(() => undefined);
    }
  }

  /** Drops the metrics of partitions this process no longer owns. */
  private forget(partitions: TopicPartition[]): void {
    for (const { topic, partition } of partitions) {
      const labels = { topic, partition: String(partition) };
      this.metrics.lag.remove(labels);
      this.metrics.lastCommit.remove(labels);
    }
  }
}

function keyOf({ topic, partition }: TopicPartition): string {
  return `${topic}|${partition}`;
}

function lostMembership(error: unknown): boolean {
  return LOST_MEMBERSHIP.has((error as { type?: string } | null)?.type ?? '');
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : JSON.stringify(error);
}

/** The headers as kafkajs read them, not copied: a dead letter sends them on unchanged. */
function toInbound(message: EachBatchPayload['batch']['messages'][number]): InboundMessage {
  return {
    key: message.key,
    value: message.value,
    headers: message.headers ?? {},
    offset: message.offset,
    timestamp: message.timestamp,
  };
}
