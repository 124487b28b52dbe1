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
 * The consumer loop's own account of itself, read by `/health/ready`. It follows the consumer
 * through kafkajs' own restarts: a crash kafkajs will restart from makes it not running until the
 * group is joined again; a crash it gives up on, or a stop, until the transport starts it anew.
 * It is healthy while running, recently active, and no owned partition is stalled.
 */
export class ConsumerHealth {
  private running = false;
  private lastActivity = 0;
  private lastError: string | null = null;
  private readonly progress = new PartitionProgress();
  private readonly stallMs: number;
  private readonly now: () => number;

  constructor({ stallSeconds, now = Date.now }: ConsumerHealthOptions) {
    this.stallMs = stallSeconds * 1000;
    this.now = now;
  }

  /** The group was joined with this assignment; returns the partitions given up. */
  joined(assignment: Record<string, number[]>): TopicPartition[] {
    this.running = true;
    this.touch();
    return this.progress.assign(assignment, this.now());
  }

  /** The loop fetches again (after a restart, or a rejoin kafkajs did on its own). */
  fetching(): void {
    this.running = true;
    this.touch();
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
