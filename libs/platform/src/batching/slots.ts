/** At most `size` pieces of work at once; the others wait their turn, in order of asking. */
export class Slots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  /** Whether a piece of work asking now would wait. */
  get full(): boolean {
    return this.running >= this.size;
  }

  /** Pieces of work waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Runs `work` once a slot is free. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.full) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running += 1;
    try {
      return await work();
    } finally {
      // The next in line takes over the slot, so `running` counts exactly what runs.
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}
