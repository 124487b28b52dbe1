import { dataSourceOptions, poolTimeouts, poolTls } from './data-source';

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

describe('poolTls', () => {
  const material = { ca: 'CA PEM', cert: 'CERT PEM', key: 'KEY PEM' };

  it('encrypts without checking the certificate for require, as libpq does', () => {
    expect(poolTls({ mode: 'require', ...material })).toEqual({
      ...material,
      rejectUnauthorized: false,
    });
  });

  it('checks the chain but not the host name for verify-ca', () => {
    const options = poolTls({ mode: 'verify-ca', ca: 'CA PEM' });
    expect(options).toMatchObject({ ca: 'CA PEM', rejectUnauthorized: true });
    expect(options.checkServerIdentity?.('db.other.example', {} as never)).toBeUndefined();
  });

  it('checks the chain and the host name for verify-full', () => {
    expect(poolTls({ mode: 'verify-full', ca: 'CA PEM' })).toEqual({
      ca: 'CA PEM',
      rejectUnauthorized: true,
    });
  });

  it('hands the options to the pool only when TLS is asked for', () => {
    expect(dataSourceOptions('postgres://db/gw').extra).not.toHaveProperty('ssl');
    expect(
      dataSourceOptions('postgres://db/gw', 4, { tls: { mode: 'require' } }).extra,
    ).toMatchObject({ max: 4, ssl: { rejectUnauthorized: false } });
  });
});
