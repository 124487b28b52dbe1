interface Waiting<I, O> {
  input: I;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Turns single calls into batches: calls made while a batch is running wait and go together in
 * the next one, so a burst of requests costs one round trip per wave instead of one each, and a
 * lone call goes at once. `run` answers one output per input, in order; if it fails, every call
 * of that batch fails with its error.
 */
export class CallBatcher<I, O> {
  private waiting: Waiting<I, O>[] = [];
  private running = false;

  constructor(
    private readonly run: (inputs: I[]) => Promise<O[]>,
    private readonly maxBatch = 1000,
  ) {}

  call(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      void this.next();
    });
  }

  private async next(): Promise<void> {
    if (this.running || this.waiting.length === 0) return;
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
      void this.next();
    }
  }
}
