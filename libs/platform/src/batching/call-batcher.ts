interface Waiting<I, O> {
  input: I;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

export interface CallBatcherOptions {
  /** Calls per batch at most. */
  maxBatch?: number;
  /** How long a batch that could start may wait for held calls (see `hold`); 0 = never. */
  maxHoldMs?: number;
}

/**
 * Turns single calls into batches: calls made while a batch is running wait and go together in
 * the next one, so a burst of requests costs one round trip per wave instead of one each, and a
 * lone call goes at once. `run` answers one output per input, in order; if it fails, every call
 * of that batch fails with its error.
 *
 * A caller that knows it will call soon can `hold` the batcher: a batch that could start then
 * waits, up to `maxHoldMs`, until no hold is left, so that the coming call goes in it instead of
 * in a round trip of its own.
 */
export class CallBatcher<I, O> {
  private waiting: Waiting<I, O>[] = [];
  private running = false;
  private holds = 0;
  /** When the waiting calls could have started as a batch. */
  private readySince = 0;
  private holdTimer: NodeJS.Timeout | undefined;
  private readonly maxBatch: number;
  private readonly maxHoldMs: number;

  constructor(
    private readonly run: (inputs: I[]) => Promise<O[]>,
    { maxBatch = 1000, maxHoldMs = 0 }: CallBatcherOptions = {},
  ) {
    this.maxBatch = maxBatch;
    this.maxHoldMs = maxHoldMs;
  }

  call(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      if (this.waiting.length === 0) this.readySince = Date.now();
      this.waiting.push({ input, resolve, reject });
      void this.next();
    });
  }

  /** Announces a call to come; the returned function ends the hold (once it is made, or will not be). */
  hold(): () => void {
    this.holds += 1;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.holds -= 1;
      void this.next();
    };
  }

  private async next(): Promise<void> {
    if (this.running || this.waiting.length === 0) return;
    const holdFor = this.holds > 0 ? this.readySince + this.maxHoldMs - Date.now() : 0;
    if (holdFor > 0) {
      this.holdTimer ??= setTimeout(() => {
        this.holdTimer = undefined;
        void this.next();
      }, holdFor);
      return;
    }
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    this.running = true;
    const batch = this.waiting.splice(0, this.maxBatch);
    try {
      const outputs = await this.run(batch.map(({ input }) => input));
      if (outputs.length !== batch.length)
        throw new Error(`a batch of ${batch.length} calls got ${outputs.length} answers`);
      batch.forEach(({ resolve }, i) => resolve(outputs[i]));
    } catch (error) {
      for (const { reject } of batch) reject(error);
    } finally {
      this.running = false;
      this.readySince = Date.now();
      void this.next();
    }
  }
}
