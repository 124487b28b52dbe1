import { dataSourceOptions, HeldElsewhere, queryable, TransactionRunner } from '@gw/persistence';
import { DataSource } from 'typeorm';
import { eventually, testDatabase } from '../support/infra';
import { proxyDatabase } from '../support/tcp-proxy';

/** Work that runs until `finish` is called, and says when it has started. */
function pending() {
  let finish!: () => void;
  let started!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const running = new Promise<void>((resolve) => (started = resolve));
  return {
    finish,
    running,
    work: async () => {
      started();
      await done;
      return 'done';
    },
  };
}

describe('persistence: one run of a job at a time across processes', () => {
  // Two instances of an app: each its own pool, as two replicas or an app and `ctl` have.
  let first: DataSource;
  let second: DataSource;
  let here: TransactionRunner;
  let there: TransactionRunner;
  const job = `job-lock test ${process.pid}`;

  /** The pid of the session holding the lock of `name`, or null. */
  async function holder(name: string): Promise<number | null> {
    const rows: { pid: number }[] = await first.query(
      `SELECT pid FROM pg_locks
        WHERE locktype = 'advisory' AND granted
          AND objid = (hashtext($1)::bigint & 4294967295)::oid AND objsubid = 1`,
      [`meter-gateway job ${name}`],
    );
    return rows[0]?.pid ?? null;
  }

  beforeAll(async () => {
    first = await testDatabase();
    second = await testDatabase();
    here = new TransactionRunner(first);
    there = new TransactionRunner(second);
  });

  afterAll(async () => {
    await first?.destroy();
    await second?.destroy();
  });

  it('refuses a second run while the first goes on, in another process or this one, and runs the next', async () => {
    const long = pending();
    const run = here.exclusively(job, long.work);
    await long.running;
    const refused = jest.fn();
    try {
      await expect(there.exclusively(job, refused)).rejects.toThrow(HeldElsewhere);
      await expect(there.exclusively(job, refused)).rejects.toThrow(
        `${job} is already running in another instance or command`,
      );
      await expect(here.exclusively(job, refused)).rejects.toThrow(HeldElsewhere);
      expect(refused).not.toHaveBeenCalled();
      // Another job is not held by it.
      await expect(there.exclusively(`${job} other`, async () => 'other')).resolves.toBe('other');
    } finally {
      long.finish();
    }
    await expect(run).resolves.toBe('done');
    expect(await holder(job)).toBeNull();
    await expect(there.exclusively(job, async () => 'next')).resolves.toBe('next');
  });

  it('lets go of the lock when the work fails', async () => {
    await expect(
      here.exclusively(job, async () => {
        throw new Error('the job broke');
      }),
    ).rejects.toThrow('the job broke');
    expect(await holder(job)).toBeNull();
    await expect(there.exclusively(job, async () => 'after')).resolves.toBe('after');
  });

  it('holds the lock on a connection of its own, outside any transaction the work opens', async () => {
    const sessions = await here.exclusively(job, async () => {
      const lockedBy = await holder(job);
      const inTransaction = await here.run((tx) =>
        queryable(first, tx).query(`SELECT pg_backend_pid() AS pid`),
      );
      return { lockedBy, worker: inTransaction[0].pid as number };
    });
    expect(sessions.lockedBy).not.toBeNull();
    expect(sessions.worker).not.toBe(sessions.lockedBy);
  });

  it('frees the lock when the holding session dies, and its pool goes on without that connection', async () => {
    const long = pending();
    const run = here.exclusively(job, long.work);
    await long.running;
    const pid = await holder(job);
    expect(pid).not.toBeNull();
    try {
      // The holder's connection is cut, as when its process is killed or the network drops it.
      await second.query(`SELECT pg_terminate_backend($1)`, [pid]);
      await eventually(
        () => holder(job),
        (held) => held === null,
        10000,
      );
      await expect(there.exclusively(job, async () => 'taken over')).resolves.toBe('taken over');
    } finally {
      long.finish();
    }
    await expect(run).resolves.toBe('done');
    // The broken connection went out of the pool: the next statements get working ones.
    for (let i = 0; i < 12; i += 1)
      expect(await first.query(`SELECT 1 AS one`)).toEqual([{ one: 1 }]);
    await expect(here.exclusively(job, async () => 'again')).resolves.toBe('again');
  });

  it('frees the lock of a holder whose host dies within 45 s, and keeps a live holder idle as long', async () => {
    const { proxy, url } = await proxyDatabase();
    const doomed = await new DataSource(dataSourceOptions(url, 3)).initialize();
    const dying = pending();
    const living = pending();
    const kept = here.exclusively(`${job} live`, living.work);
    const lost = new TransactionRunner(doomed).exclusively(`${job} dead host`, dying.work);
    try {
      await Promise.all([dying.running, living.running]);
      const live = await holder(`${job} live`);
      expect(live).not.toBeNull();
      // The holder's host dies once its connection is quiet, every reply acknowledged: then no FIN,
      // no RST and no answer to a keepalive probe reaches the server from it any more.
      await new Promise((quiet) => setTimeout(quiet, 1000));
      await proxy.blackHole();
      await eventually(
        () =>
          there
            .exclusively(`${job} dead host`, async () => 'taken over')
            .catch((error) => (error instanceof HeldElsewhere ? null : Promise.reject(error))),
        (taken) => taken === 'taken over',
        45000,
        1000,
      );
      // The live holder's connection has been idle as long, its kernel answering the probes.
      expect(await holder(`${job} live`)).toBe(live);
    } finally {
      dying.finish();
      living.finish();
      await proxy.close();
    }
    await expect(kept).resolves.toBe('done');
    await expect(lost).resolves.toBe('done');
    await doomed.destroy();
  });
});
