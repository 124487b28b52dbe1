import type { Response } from 'supertest';
import type { DataSource } from 'typeorm';
import type { TcpProxy } from './tcp-proxy';

/**
 * The answers to `ask` while `table`, which its session lookup reads, is locked past the lock
 * timeout, then while the database behind `proxy` is gone. The proxy is restored after.
 */
export async function answersWhileLookupFails(
  db: DataSource,
  table: string,
  proxy: TcpProxy,
  ask: () => PromiseLike<Response>,
): Promise<Response[]> {
  const locker = db.createQueryRunner();
  try {
    await locker.startTransaction();
    await locker.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
    const locked = await ask();
    await locker.rollbackTransaction();
    await proxy.cut();
    const gone = await ask();
    await proxy.restore();
    return [locked, gone];
  } finally {
    if (locker.isTransactionActive) await locker.rollbackTransaction();
    await locker.release();
  }
}
