import type { DataSource, EntityManager } from 'typeorm';

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
   */
  runByKey<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.run(async (tx) => {
      await queryable(this.db, tx).query(
        `SELECT set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true)`,
      );
      return work(tx);
    });
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
