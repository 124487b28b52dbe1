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

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      this.runNow().catch((error: Error) => this.onError(error));
    }, intervalMs);
    this.timer.unref();
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
