import { poolTimeouts } from './data-source';

describe('poolTimeouts', () => {
  it('gives node-postgres the server-side limits and a client-side one a little beyond the statement limit', () => {
    expect(
      poolTimeouts({
        connectMs: 5000,
        statementMs: 15000,
        lockMs: 5000,
        idleInTransactionMs: 30000,
      }),
    ).toEqual({
      connectionTimeoutMillis: 5000,
      statement_timeout: 15000,
      lock_timeout: 5000,
      idle_in_transaction_session_timeout: 30000,
      query_timeout: 17000,
    });
  });

  it('sets no client-side limit when statements have none', () => {
    expect(
      poolTimeouts({ connectMs: 5000, statementMs: 0, lockMs: 0, idleInTransactionMs: 0 })
        .query_timeout,
    ).toBeUndefined();
  });
});
