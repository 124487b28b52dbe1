import { type PartitionStall, PartitionProgress, type TopicPartition } from './partition-progress';

export interface ConsumerHealthOptions {
  stallSeconds: number;
  now?: () => number;
}

/** The loop counts as hung when it has not fetched, heartbeated or handled a batch this long. */
const STALE_AFTER_MS = 30000;

export interface ConsumerStatus {
  running: boolean;
  lastActivityAt: string;
  lastError: string | null;
  stalled: PartitionStall[];
}

/**
 * The consumer loop's own account of itself, read by `/health/ready`. It is running once it has
 * joined its group and every broker it fetches from has answered a fetch that kafkajs could
 * decode (an empty one too): a member that joins only to crash on its first fetch, as it does on
 * a batch in a codec kafkajs lacks, never counts as running. A crash, whether kafkajs restarts
 * from it or gives up, and a stop make it not running until that happens again.
 * It is healthy while running, recently active, and no owned partition is stalled.
 */
export class ConsumerHealth {
  private running = false;
  private lastActivity = 0;
  private lastError: string | null = null;
  /** Since the group was joined: brokers fetched from that have not answered yet, and those that have. */
  private readonly unanswered = new Set<number>();
  private readonly answered = new Set<number>();
  private readonly progress = new PartitionProgress();
  private readonly stallMs: number;
  private readonly now: () => number;

  constructor({ stallSeconds, now = Date.now }: ConsumerHealthOptions) {
    this.stallMs = stallSeconds * 1000;
    this.now = now;
  }

  /** The group was joined with this assignment; returns the partitions given up. */
  joined(assignment: Record<string, number[]>): TopicPartition[] {
    this.unanswered.clear();
    this.answered.clear();
    this.touch();
    return this.progress.assign(assignment, this.now());
  }

  /** A fetch from broker `nodeId` started. */
  fetching(nodeId: number): void {
    if (!this.answered.has(nodeId)) this.unanswered.add(nodeId);
    this.touch();
  }

  /**
   * A fetch from broker `nodeId` came back decoded. Returns true when this makes the consumer
   * running: the moment it gets past whatever stopped it last.
   */
  fetched(nodeId: number): boolean {
    this.unanswered.delete(nodeId);
    this.answered.add(nodeId);
    this.touch();
    if (this.running || this.unanswered.size > 0) return false;
    this.running = true;
    return true;
  }

  touch(): void {
    this.lastActivity = this.now();
  }

  crashed(error: string): void {
    this.running = false;
    this.lastError = error;
  }

  /** The consumer is gone (closed, or given up on); returns the partitions it owned. */
  stopped(error?: string): TopicPartition[] {
    this.running = false;
    if (error !== undefined) this.lastError = error;
    return this.progress.clear();
  }

  assigned(): TopicPartition[] {
    return this.progress.assigned();
  }

  /** A batch of `at` was committed up to `offset`, leaving `lag` messages behind the end. */
  committed(at: TopicPartition, offset: string, lag: number): void {
    this.touch();
    this.progress.observe(at, { lag, committed: offset }, this.now());
  }

  /** A fresh reading of a partition's lag, and of its committed offset when known. */
  observed(at: TopicPartition, lag: number, committed?: string): void {
    this.progress.observe(at, { lag, committed }, this.now());
  }

  get healthy(): boolean {
    return (
      this.running &&
      this.now() - this.lastActivity < STALE_AFTER_MS &&
      this.progress.stalled(this.now(), this.stallMs).length === 0
    );
  }

  get status(): ConsumerStatus {
    return {
      running: this.running,
      lastActivityAt: new Date(this.lastActivity).toISOString(),
      lastError: this.lastError,
      stalled: this.progress.stalled(this.now(), this.stallMs),
    };
  }
}
