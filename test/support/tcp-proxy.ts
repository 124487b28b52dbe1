import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { promisify } from 'node:util';
import { eventually } from './infra';

const run = promisify(execFile);

/**
 * Where a dead host's packets are dropped: as the loopback device receives them, once sent, so
 * that the sender's kernel is not told (a drop on sending is a local error, after which the
 * server's kernel sends its keepalive probe again and again instead of counting it unanswered).
 */
const LOOPBACK_IN = ['dev', 'lo', 'ingress', 'protocol', 'ip'];

interface Pair {
  client: Socket;
  upstream: Socket;
}

/**
 * A TCP proxy in front of a shared server (PostgreSQL, a Kafka seed broker), so one app under test
 * can lose it while the server keeps running for everyone else. `stall` makes it a server that is
 * frozen (SIGSTOP-like: connections are accepted, nothing is answered); `cut` one that is gone
 * (connections reset, new ones refused); `restore` brings it back on the same port. `blackHole`
 * makes it a host that died.
 */
export class TcpProxy {
  private readonly pairs = new Set<Pair>();
  private server: Server | null = null;
  private stalled = false;
  /** While the proxy is a dead host: the device its packets go to, and the priority of its filters. */
  private dead: { device: string; priority: string } | null = null;

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

  /**
   * The sockets this process holds to the proxy: its clients' ends, still open in this process
   * (the kernel's IPv4 table, joined to the process's descriptors). The proxy's own list cannot
   * tell: while stalled it reads nothing, so it never sees a client close.
   */
  clientSockets(): number {
    const held = new Set<string>();
    for (const fd of readdirSync('/proc/self/fd')) {
      let target = '';
      try {
        target = readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        continue; // closed since it was listed
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode) held.add(inode);
    }
    const remote = `:${this.port.toString(16).toUpperCase().padStart(4, '0')}`;
    // Columns: sl, local address, remote address, state, queues, timers, retransmits, uid, timeout, inode.
    return readFileSync('/proc/self/net/tcp', 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((columns) => columns[2]?.endsWith(remote) && held.has(columns[9])).length;
  }

  /**
   * Waits until this process holds no socket to the proxy: after calls given up on a frozen broker,
   * kafkajs gives up their requests within its request timeout (10 s), and nothing may hold a
   * connection to it after that.
   */
  async released(): Promise<void> {
    await eventually(
      async () => this.clientSockets(),
      (open) => open === 0,
      30_000,
      500,
    );
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

  /**
   * Makes the proxy a host that died (power lost, network gone): the server gets no FIN, no RST
   * and no answer to its keepalive probes on the proxy's connections, which stay open on its side
   * until `close`; the clients are disconnected, as their process is gone too, and new ones
   * refused. `stall` cannot stand for this: the proxy's kernel still answers the server. Needs
   * root, `ip` and `tc` (iproute2), and the server on this machine's IPv4 loopback: filters on
   * `lo` send the connections' packets to a device that is down, which drops them (LOOPBACK_IN).
   */
  async blackHole(): Promise<void> {
    const dead = { device: `gwdead${this.port}`, priority: String(this.port) };
    await run('ip', ['link', 'add', dead.device, 'type', 'ifb']);
    this.dead = dead;
    // The hook may be there already, another run's; it is left in place, empty, by `close`.
    await run('tc', ['qdisc', 'add', 'dev', 'lo', 'clsact']).catch(async (error) => {
      const { stdout } = await run('tc', ['qdisc', 'show', 'dev', 'lo']);
      if (!stdout.includes('clsact')) throw error;
    });
    for (const { upstream } of this.pairs) {
      if (!upstream.remoteAddress?.startsWith('127.'))
        throw new Error(
          `a dead host needs the server on 127.0.0.0/8, not ${upstream.remoteAddress}`,
        );
      const ports = [upstream.localPort, upstream.remotePort];
      for (const [from, to] of [ports, [...ports].reverse()])
        await run('tc', [
          ...['filter', 'add', ...LOOPBACK_IN, 'prio', dead.priority],
          ...['u32', 'match', 'ip', 'sport', String(from), '0xffff'],
          ...['match', 'ip', 'dport', String(to), '0xffff'],
          ...['action', 'mirred', 'egress', 'redirect', 'dev', dead.device],
        ]);
    }
    for (const { client } of this.pairs) client.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise((done) => server.close(done));
  }

  /** Resets every connection and stops listening. */
  async cut(): Promise<void> {
    const dead = this.dead;
    this.dead = null;
    if (dead) {
      // There are none when `blackHole` failed before adding them.
      await run('tc', ['filter', 'del', ...LOOPBACK_IN, 'prio', dead.priority]).catch(
        () => undefined,
      );
      await run('ip', ['link', 'del', dead.device]);
    }
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
        // A dead host's connections stay open on the server's side until `close`.
        if (this.dead) return;
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
