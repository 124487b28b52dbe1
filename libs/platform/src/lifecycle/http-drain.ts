import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export interface ShutdownOptions {
  /** How long the app keeps serving, unready, before it stops listening. */
  delayMs: number;
  /** How long in-flight requests may take to finish once it has stopped listening. */
  timeoutMs: number;
}

export const SHUTDOWN_OPTIONS = Symbol('SHUTDOWN_OPTIONS');

/** Closing the consumer, the producer and the pool after the drain, before the process gives up. */
const CLOSE_MARGIN_MS = 10_000;

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/**
 * Graceful drain of the HTTP server on shutdown (SIGTERM, SIGINT or `app.close()`): readiness
 * turns 503 at once; after `delayMs` (time for a load balancer to notice) the server stops
 * accepting connections, in-flight requests finish with their normal answers and their keep-alive
 * connections are closed after them; whatever is still running after `timeoutMs` is cut. Nest then
 * closes the microservices (consumers finish their batch) and the producer and pool.
 */
@Injectable()
export class HttpDrain
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly logger = new Logger('Shutdown');
  private readonly inFlight = new Set<ServerResponse>();
  private draining = false;
  private watchdog: NodeJS.Timeout | undefined;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(SHUTDOWN_OPTIONS) private readonly options: ShutdownOptions,
  ) {}

  /** False from the moment shutdown begins: the readiness probe answers 503. */
  get accepting(): boolean {
    return !this.draining;
  }

  onApplicationBootstrap(): void {
    this.server()?.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.inFlight.add(res);
      if (this.draining) res.setHeader('Connection', 'close');
      res.once('close', () => this.inFlight.delete(res));
      res.once('finish', () => {
        // Headers already sent when the drain began: the connection is closed after the answer.
        if (this.draining && !req.socket.destroyed) req.socket.end();
      });
    });
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    const started = Date.now();
    const { delayMs, timeoutMs } = this.options;
    // A hook that hangs (a broker or database that never answers a close) must not keep the
    // process from exiting: the orchestrator would kill it anyway, without the log line.
    this.watchdog = setTimeout(
      () => {
        this.logger.error({ msg: 'shutdown did not finish in time; exiting', signal });
        process.exit(1);
      },
      delayMs + timeoutMs + CLOSE_MARGIN_MS,
    );
    this.watchdog.unref();
    this.logger.log({ msg: 'draining', signal, inFlight: this.inFlight.size, delayMs, timeoutMs });
    if (delayMs > 0) await sleep(delayMs);
    const server = this.server();
    if (server?.listening) await this.closeServer(server, timeoutMs);
    this.logger.log({ msg: 'drained', ms: Date.now() - started, cut: this.inFlight.size });
  }

  onApplicationShutdown(): void {
    clearTimeout(this.watchdog);
  }

  private async closeServer(server: Server, timeoutMs: number): Promise<void> {
    for (const res of this.inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
    const closed = new Promise<void>((done) => server.close(() => done()));
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>((done) => {
      timer = setTimeout(() => done('expired'), timeoutMs);
    });
    const outcome = await Promise.race([closed, expired]);
    clearTimeout(timer);
    if (outcome === 'expired') {
      this.logger.warn({
        msg: 'requests still running at the drain limit; cut',
        count: this.inFlight.size,
      });
      server.closeAllConnections();
      await closed;
    }
  }

  private server(): Server | undefined {
    return this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
  }
}
