import type { Pool } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

declare const OPEN_TRANSACTION: unique symbol;

/**
 * An open transaction, as use cases hand it from the runner to repositories. Opaque outside
 * persistence: nothing can be done with it but pass it on, and no ORM object passes for one.
 */
export interface Transaction {
  readonly [OPEN_TRANSACTION]: true;
}

/** What a repository sends SQL to: the pool, or the connection of an open transaction. */
export type Queryable = Pick<EntityManager, 'query'>;

/** What an UPDATE or DELETE query answers: the rows it returned and how many it changed. */
export type Changed<Row = unknown> = [rows: Row[], count: number];

/** For repositories only: the connection of `tx`, or the pool when the caller gave none. */
export function queryable(db: DataSource, tx?: Transaction): Queryable {
  return tx ? (tx as unknown as EntityManager) : db;
}

/** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
export function transaction<T>(db: DataSource, work: (tx: Transaction) => Promise<T>): Promise<T> {
  return db.transaction((manager) => work(manager as unknown as Transaction));
}

/** The job is running in another session (another instance, a `ctl` command): it was not run. */
export class HeldElsewhere extends Error {
  constructor(readonly job: string) {
    super(`${job} is already running in another instance or command; try again once it is done`);
  }
}

/** Advisory lock keys of jobs are the hash of this prefix and the job's name. */
const JOB_LOCK_PREFIX = 'meter-gateway job ';

/**
 * How the server finds a job lock's holder gone when nothing tells it so (the holder's host lost
 * power or its network): by default the lock would stay with the idle session until the server's
 * TCP keepalive gives up, after more than 2 hours. The server probes the lock's connection once it
 * has been idle 10 s, every 5 s, and ends the session once the holder has answered nothing for
 * 30 s (`tcp_user_timeout`; on Linux it takes the place of the probe count, and also bounds data
 * left unacknowledged). A live holder's kernel answers the probes, however long its job runs.
 * Any user may set these for the session; on a Unix socket they do nothing.
 */
const JOB_LOCK_SETTINGS =
  'SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 3; SET tcp_user_timeout = 30000';
/** The server's own settings again, for the pool's next user of the connection. */
const JOB_LOCK_SETTINGS_RESET =
  'RESET tcp_keepalives_idle; RESET tcp_keepalives_interval; RESET tcp_keepalives_count; RESET tcp_user_timeout';

/** The one way a use case opens a transaction, to hand to the repositories it writes through. */
export class TransactionRunner {
  constructor(private readonly db: DataSource) {}

  run<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    return transaction(this.db, work);
  }

  /**
   * As `run`, for work whose every statement looks rows up by key (the processor's batches): the
   * transaction plans them with index scans whatever the statistics say. A table that grew by
   * millions since it was last analyzed (a month end; a database whose autovacuum is off) would
   * otherwise be estimated to return a share of itself per key, and be scanned whole, or through
   * a bitmap and a sort per key, in every batch. A statement with no index to use still runs.
   * Nor is any compiled with JIT: a batch's lookups, estimated above `jit_above_cost` once they
   * name some hundreds of meters, would be compiled anew in every batch (about 17 ms of 30 for the
   * accepted readings of 700 meters, measured with the table analyzed).
   */
  runByKey<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.run(async (tx) => {
      await queryable(this.db, tx).query(
        `SELECT set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true),
                set_config('jit', 'off', true)`,
      );
      return work(tx);
    });
  }

  /**
   * Runs `job` at most once at a time across every process sharing the database: `work` runs while
   * this process holds PostgreSQL's session advisory lock named after the job, on a connection of
   * its own that no transaction uses, so no transaction stays open for the job's length. When
   * another session holds the lock, throws HeldElsewhere at once without running `work`. The
   * lock goes with its connection: a process that dies, or loses its connection, frees it for
   * the next run, and so does a host that dies, within about 30 s (JOB_LOCK_SETTINGS); a job
   * must still be idempotent, as it is then run again.
   */
  async exclusively<T>(job: string, work: () => Promise<T>): Promise<T> {
    const client = await ((this.db.driver as PostgresDriver).master as Pool).connect();
    const key = JOB_LOCK_PREFIX + job;
    let broken: Error | undefined;
    // The pool listens for errors of idle connections only: this one's (the database restarting,
    // the session killed) would otherwise end the process while the work goes on.
    const lost = (error: Error) => (broken = error);
    client.on('error', lost);
    try {
      await client.query(JOB_LOCK_SETTINGS);
      const { rows } = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock(hashtext($1)) AS locked',
        [key],
      );
      if (!rows[0].locked) throw new HeldElsewhere(job);
      try {
        return await work();
      } finally {
        // A connection that could not unlock may still hold the lock: it is closed, not pooled.
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key]).catch((error) => {
          broken = error as Error;
        });
      }
    } finally {
      if (!broken)
        await client.query(JOB_LOCK_SETTINGS_RESET).catch((error) => {
          broken = error as Error;
        });
      client.off('error', lost);
      client.release(broken);
    }
  }

  /**
   * Optimistic concurrency for a decision made outside any transaction, so that no connection
   * is held while it reads and decides: `decide`, then `write` in a transaction, which answers
   * null when something `decide` relied on changed meanwhile (and writes nothing). Then all is
   * done again, `attempts` times at most; null when every attempt found a change.
   */
  async decideThenWrite<D, T>(
    decide: () => Promise<D>,
    write: (tx: Transaction, decided: D) => Promise<T | null>,
    attempts = 3,
  ): Promise<T | null> {
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      const decided = await decide();
      const written = await this.run((tx) => write(tx, decided));
      if (written !== null) return written;
    }
    return null;
  }
}
