import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DatabaseUnavailableError, DEPENDENCY_FREE } from '@gw/platform';
import { DataSource } from 'typeorm';

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 10_000;

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms).unref());

/**
 * Connects the app's DataSource at boot, retrying with backoff for as long as it takes. Boot waits
 * for the first attempt only (at most the connect timeout), so an app whose database answers starts
 * connected, and one started while PostgreSQL is unreachable keeps running (live, not ready) and
 * becomes ready by itself once the database answers, instead of exiting.
 */
@Injectable()
export class DatabaseConnector implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  private stopped = false;
  private stop!: () => void;
  private readonly stopping = new Promise<void>((done) => (this.stop = done));
  private connecting: Promise<void> | undefined;

  constructor(private readonly db: DataSource) {}

  async onApplicationBootstrap(): Promise<void> {
    let firstAttempt!: () => void;
    const attempted = new Promise<void>((done) => (firstAttempt = done));
    this.connecting = this.connect(firstAttempt);
    await attempted;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.stop();
    await this.connecting;
  }

  private async connect(attempted: () => void): Promise<void> {
    for (let attempt = 1, delay = FIRST_RETRY_MS; !this.db.isInitialized; attempt += 1) {
      try {
        await this.db.initialize();
        if (attempt > 1) this.logger.log({ msg: 'database connected', attempts: attempt });
      } catch (error) {
        // A failed attempt may leave a pool behind (TypeORM only cleans up after its own queries).
        await this.db.driver.disconnect().catch(() => undefined);
        attempted();
        if (this.stopped) return;
        this.logger.warn({
          msg: 'database unreachable; retrying',
          attempt,
          retryInMs: delay,
          error: (error as Error).message,
        });
        await Promise.race([sleep(delay), this.stopping]);
        if (this.stopped) return;
        delay = Math.min(delay * 2, MAX_RETRY_MS);
      }
    }
    attempted();
  }
}

/**
 * Answers "database unavailable" (503, retry later) for requests that arrive before the database
 * has been connected, rather than letting them fail on an uninitialised DataSource.
 */
@Injectable()
export class DatabaseConnectedGuard implements CanActivate {
  constructor(
    private readonly db: DataSource,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.db.isInitialized) return true;
    if (
      this.reflector.getAllAndOverride<boolean>(DEPENDENCY_FREE, [
        context.getHandler(),
        context.getClass(),
      ])
    )
      return true;
    throw new DatabaseUnavailableError('not connected yet');
  }
}
