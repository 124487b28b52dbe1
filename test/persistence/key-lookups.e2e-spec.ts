import { type Queryable, queryable, type Transaction, TransactionRunner } from '@gw/persistence';
import type { DataSource } from 'typeorm';
import { testDatabase } from '../support/infra';

/** The plan PostgreSQL picks for looking up the accepted readings of `serials`, as node types. */
async function planNodes(db: Queryable, serials: string[]) {
  const [row]: { 'QUERY PLAN': { Plan: PlanNode }[] }[] = await db.query(
    `EXPLAIN (FORMAT JSON) SELECT * FROM readings WHERE status = 'accepted' AND meter_serial = ANY($1::varchar[])`,
    [serials],
  );
  const nodes: string[] = [];
  const walk = (node: PlanNode) => {
    nodes.push(node['Node Type']);
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(row['QUERY PLAN'][0].Plan);
  return nodes;
}

interface PlanNode {
  'Node Type': string;
  Plans?: PlanNode[];
}

describe('persistence: transactions of key lookups', () => {
  let db: DataSource;
  let transactions: TransactionRunner;
  // A batch's worth of meters: estimated without statistics, a share of the table each.
  const serials = Array.from({ length: 4000 }, (_, i) => `KEY-LOOKUP-${i}`);

  beforeAll(async () => {
    db = await testDatabase();
    transactions = new TransactionRunner(db);
  });

  afterAll(async () => {
    await db?.destroy();
  });

  it('plans every lookup with the index, and leaves other transactions to the planner', async () => {
    const inside = await transactions.runByKey((tx) => planNodes(queryable(db, tx), serials));
    expect(inside).toContain('Index Scan');
    expect(inside).not.toContain('Seq Scan');
    expect(inside).not.toContain('Bitmap Heap Scan');
    const settings = await transactions.run(async (tx) =>
      queryable(db, tx).query(
        `SELECT current_setting('enable_seqscan') AS seq, current_setting('enable_bitmapscan') AS bitmap`,
      ),
    );
    expect(settings).toEqual([{ seq: 'on', bitmap: 'on' }]);
  });

  it('compiles no lookup with JIT, however costly it is estimated', async () => {
    // What JIT did for the lookup of a batch's accepted readings, were every plan costly enough.
    const jit = async (tx: Transaction) => {
      const q = queryable(db, tx);
      await q.query(`SET LOCAL jit_above_cost = 0`);
      const [row]: { 'QUERY PLAN': { JIT?: unknown }[] }[] = await q.query(
        `EXPLAIN (ANALYZE, FORMAT JSON) SELECT * FROM readings WHERE status = 'accepted' AND meter_serial = ANY($1::varchar[])`,
        [serials],
      );
      return row['QUERY PLAN'][0].JIT ?? null;
    };
    expect(await transactions.runByKey(jit)).toBeNull();
    const [{ available }] = await db.query(`SELECT pg_jit_available() AS available`);
    expect((await transactions.run(jit)) !== null).toBe(available);
  });
});
