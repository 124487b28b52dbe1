import { connect, createServer, type Server, type Socket } from 'node:net';

interface Pair {
  client: Socket;
  upstream: Socket;
}

/**
 * A TCP proxy in front of a shared server (PostgreSQL, a Kafka seed broker), so one app under test
 * can lose it while the server keeps running for everyone else. `stall` makes it a server that is
 * frozen (SIGSTOP-like: connections are accepted, nothing is answered); `cut` one that is gone
 * (connections reset, new ones refused); `restore` brings it back on the same port.
 */
export class TcpProxy {
  private readonly pairs = new Set<Pair>();
  private server: Server | null = null;
  private stalled = false;

  private constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
    readonly port: number,
  ) {}

  /** A proxy listening on `port` (a free one when 0) that forwards to the target. */
  static async open(targetHost: string, targetPort: number, port = 0): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetHost, targetPort, port);
    const server = await proxy.listen(port);
    return Object.assign(proxy, { port: (server.address() as { port: number }).port });
  }

  /** A proxy on a free port that refuses connections until `restore`: a server not started yet. */
  static async closed(targetHost: string, targetPort: number): Promise<TcpProxy> {
    const proxy = await TcpProxy.open(targetHost, targetPort);
    await proxy.cut();
    return proxy;
  }

  /** `url` with its host and port replaced by this proxy's. */
  address(url: string): string {
    const parsed = new URL(url);
    parsed.hostname = '127.0.0.1';
    parsed.port = String(this.port);
    return parsed.toString();
  }

  /** Stops forwarding in both directions; connections stay open and new ones are accepted. */
  stall(): void {
    this.stalled = true;
    for (const { client, upstream } of this.pairs) {
      client.pause();
      upstream.pause();
    }
  }

  /** Forwards again, including what was held back while stalled. */
  unstall(): void {
    this.stalled = false;
    for (const { client, upstream } of this.pairs) {
      client.resume();
      upstream.resume();
    }
  }

  /** Resets every connection and stops listening. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const { client, upstream } of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
    if (server) await new Promise((done) => server.close(done));
  }

  /** Listens again on the same port, forwarding. */
  async restore(): Promise<void> {
    this.stalled = false;
    if (!this.server) await this.listen(this.port);
  }

  async close(): Promise<void> {
    await this.cut();
  }

  private async listen(port: number): Promise<Server> {
    const server = createServer((client) => this.accept(client));
    await new Promise<void>((done, failed) => {
      server.once('error', failed);
      server.listen(port, '127.0.0.1', () => done());
    });
    this.server = server;
    return server;
  }

  private accept(client: Socket): void {
    const upstream = connect(this.targetPort, this.targetHost);
    const pair = { client, upstream };
    this.pairs.add(pair);
    // Forwarded by hand rather than piped: a pipe resumes a paused socket on its own.
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => client.write(chunk));
    for (const [socket, other] of [
      [client, upstream],
      [upstream, client],
    ]) {
      socket.on('error', () => undefined);
      socket.on('close', () => {
        other.destroy();
        this.pairs.delete(pair);
      });
    }
    if (this.stalled) {
      client.pause();
      upstream.pause();
    }
  }
}

const openOrClosed = (host: string, port: number, state: 'open' | 'closed') =>
  state === 'open' ? TcpProxy.open(host, port) : TcpProxy.closed(host, port);

/** A proxy in front of this run's PostgreSQL, with DATABASE_URL through it. */
export async function proxyDatabase(
  state: 'open' | 'closed' = 'open',
): Promise<{ proxy: TcpProxy; url: string }> {
  const url = new URL(process.env.DATABASE_URL as string);
  const proxy = await openOrClosed(url.hostname, Number(url.port || 5432), state);
  return { proxy, url: proxy.address(url.toString()) };
}

/**
 * A proxy in front of this run's first Kafka broker, with KAFKA_BROKERS through it. Only the first
 * contact goes through it: clients then connect to the address the broker advertises.
 */
export async function proxyKafka(
  state: 'open' | 'closed' = 'closed',
): Promise<{ proxy: TcpProxy; brokers: string }> {
  const [host, port] = (process.env.KAFKA_BROKERS as string).split(',')[0].split(':');
  const proxy = await openOrClosed(host, Number(port), state);
  return { proxy, brokers: `127.0.0.1:${proxy.port}` };
}
