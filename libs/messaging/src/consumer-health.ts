/**
 * The consumer loop's own account of itself, read by `/health/ready`: the loop is healthy while
 * it is running and has fetched, heartbeated or handled a batch recently.
 */
export class ConsumerHealth {
  private running = false;
  private lastActivity = 0;
  private lastError: string | null = null;

  constructor(private readonly staleAfterMs = 30000) {}

  started(): void {
    this.running = true;
    this.touch();
  }

  stopped(error?: string): void {
    this.running = false;
    this.lastError = error ?? null;
  }

  touch(): void {
    this.lastActivity = Date.now();
  }

  get healthy(): boolean {
    return this.running && Date.now() - this.lastActivity < this.staleAfterMs;
  }

  get status() {
    return {
      running: this.running,
      lastActivityAt: new Date(this.lastActivity).toISOString(),
      lastError: this.lastError,
    };
  }
}
