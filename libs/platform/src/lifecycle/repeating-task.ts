/**
 * Background work on a timer that never runs twice at once: a tick while a run is going joins it,
 * and so does `runNow()`. The timer does not keep the process alive; `stop()` waits for the run in
 * progress.
 */
export class RepeatingTask {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly work: () => Promise<void>,
    private readonly onError: (error: Error) => void,
  ) {}

  /** Runs every `intervalMs`; with `runFirst`, also once right away. */
  start(intervalMs: number, runFirst = false): void {
    this.timer = setInterval(() => this.tick(), intervalMs);
    this.timer.unref();
    if (runFirst) this.tick();
  }

  private tick(): void {
    this.runNow().catch((error: Error) => this.onError(error));
  }

  runNow(): Promise<void> {
    this.running ??= this.work().finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }
}
