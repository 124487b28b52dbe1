import { TerminalTxnRepository } from '../../apps/terminal-gateway/src/persistence/terminal-txn.repository';
import type { DataSource } from 'typeorm';
import { testDatabase } from '../support/infra';
import { addTerminal } from './support/terminal-gateway';

/** The attempt lease that keeps two attempts of one `pay` from publishing it at once. */
describe('terminal txn lease on the real database', () => {
  let db: DataSource;
  let txns: TerminalTxnRepository;

  beforeAll(async () => {
    db = await testDatabase();
    txns = new TerminalTxnRepository(db);
  });

  afterAll(async () => {
    await db?.destroy();
  });

  it('lets one attempt at a time hold a pending txn, and the next take it once released or expired', async () => {
    const { terminalId } = await addTerminal(`T-${process.env.E2E_RUN_ID}-lease`);
    const txnId = '4242';
    const inserted = await txns.insertPending({
      terminalId,
      txnId,
      paramsHash: 'a'.repeat(64),
      accountNumber: '0000000001',
      sum: '0.00',
      submissions: [],
    });
    expect(inserted?.status).toBe('pending');
    // The inserting attempt holds the lease: a retry arriving meanwhile does not get it.
    expect(await txns.claim(terminalId, txnId, 60_000)).toBe(false);
    await txns.release(terminalId, txnId);
    expect(await txns.claim(terminalId, txnId, 60_000)).toBe(true);
    expect(await txns.claim(terminalId, txnId, 60_000)).toBe(false);
    // A lease older than the lease time is taken over.
    expect(await txns.claim(terminalId, txnId, 0)).toBe(true);
    await txns.complete(terminalId, txnId);
    expect(await txns.claim(terminalId, txnId, 0)).toBe(false);
  });
});
