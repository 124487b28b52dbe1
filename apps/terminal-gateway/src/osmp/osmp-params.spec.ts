import { OsmpError } from './osmp-errors';
import {
  collectParams,
  echoOf,
  type OsmpParams,
  parseAccount,
  parseCommand,
  parseSum,
  parseTxnDate,
  parseTxnId,
  payFingerprint,
} from './osmp-params';

/** The code and comment a parser refuses with, or its value. */
function outcome<T>(parse: () => T): T | { code: string; comment: string } {
  try {
    return parse();
  } catch (error) {
    if (error instanceof OsmpError) return { code: error.code, comment: error.message };
    throw error;
  }
}

describe('collectParams', () => {
  it.each([
    ['query only', [{ command: 'check', txn_id: '1' }], { command: 'check', txn_id: '1' }],
    ['query and form body', [{ command: 'pay' }, { txn_id: '2' }], { command: 'pay', txn_id: '2' }],
    ['no body', [{ a: '1' }, undefined], { a: '1' }],
  ])('%s', (_name, sources, expected) => {
    expect({ ...collectParams(...sources) }).toEqual(expected);
  });

  it.each([
    ['a name repeated in the query', [{ account: ['1', '2'] }]],
    ['a name in both query and body', [{ account: '1' }, { account: '1' }]],
  ])('refuses %s', (_name, sources) => {
    expect(outcome(() => collectParams(...sources))).toEqual({
      code: 'BAD_REQUEST',
      comment: 'parameter "account" given more than once',
    });
  });

  it('keeps a parameter named __proto__ as plain data', () => {
    const params = collectParams(JSON.parse('{"__proto__":"x","command":"check"}'));
    expect(params.__proto__).toBe('x');
    expect(Object.keys(params)).toEqual(['__proto__', 'command']);
  });
});

describe('parameter parsers', () => {
  const p = (params: Record<string, string>): OsmpParams => params;
  it.each([
    ['command check', () => parseCommand(p({ command: 'check' })), 'check'],
    ['command pay', () => parseCommand(p({ command: ' pay ' })), 'pay'],
    ['command status', () => parseCommand(p({ command: 'status' })), 'status'],
    [
      'command missing',
      () => parseCommand(p({})),
      { code: 'BAD_REQUEST', comment: 'command is required' },
    ],
    [
      'command unknown',
      () => parseCommand(p({ command: 'refund' })),
      { code: 'BAD_REQUEST', comment: 'unknown command "refund": use check, pay, status' },
    ],
    [
      'txn_id digits',
      () => parseTxnId(p({ txn_id: '00012345678901234567' })),
      '00012345678901234567',
    ],
    [
      'txn_id of 21 digits',
      () => parseTxnId(p({ txn_id: '123456789012345678901' })),
      { code: 'BAD_REQUEST', comment: 'txn_id "123456789012345678901" must be 1 to 20 digits' },
    ],
    [
      'txn_id with a letter',
      () => parseTxnId(p({ txn_id: '12a' })),
      { code: 'BAD_REQUEST', comment: 'txn_id "12a" must be 1 to 20 digits' },
    ],
    [
      'txn_id missing',
      () => parseTxnId(p({ txn_id: '  ' })),
      { code: 'BAD_REQUEST', comment: 'txn_id is required' },
    ],
    ['account of 10 digits', () => parseAccount(p({ account: '5001234567' })), '5001234567'],
    [
      'account of 9 digits',
      () => parseAccount(p({ account: '500123456' })),
      { code: 'ACCOUNT_FORMAT', comment: 'account "500123456" must be 10 digits' },
    ],
    [
      'account with a letter',
      () => parseAccount(p({ account: '500123456x' })),
      { code: 'ACCOUNT_FORMAT', comment: 'account "500123456x" must be 10 digits' },
    ],
    [
      'account missing',
      () => parseAccount(p({})),
      { code: 'ACCOUNT_FORMAT', comment: 'account is required' },
    ],
    ['sum 0', () => parseSum(p({ sum: '0' })), '0.00'],
    ['sum 0.00', () => parseSum(p({ sum: '0.00' })), '0.00'],
    ['sum with a comma', () => parseSum(p({ sum: '150,5' })), '150.50'],
    ['sum with leading zeros', () => parseSum(p({ sum: '0012.30' })), '12.30'],
    [
      'sum with 3 fraction digits',
      () => parseSum(p({ sum: '1.005' })),
      { code: 'BAD_REQUEST', comment: 'sum "1.005" must be an amount such as 0.00' },
    ],
    [
      'negative sum',
      () => parseSum(p({ sum: '-1' })),
      { code: 'BAD_REQUEST', comment: 'sum "-1" must be an amount such as 0.00' },
    ],
    ['sum missing', () => parseSum(p({})), { code: 'BAD_REQUEST', comment: 'sum is required' }],
    [
      'txn_date as Moscow time',
      () => parseTxnDate(p({ txn_date: '20261120101500' })),
      '2026-11-20T10:15:00+03:00',
    ],
    [
      'txn_date 30 February',
      () => parseTxnDate(p({ txn_date: '20260230101500' })),
      {
        code: 'BAD_REQUEST',
        comment:
          'txn_date "20260230101500" must be YYYYMMDDHHMMSS, a real moment of the years 2000 to 2099',
      },
    ],
    [
      'txn_date at hour 24',
      () => parseTxnDate(p({ txn_date: '20261120240000' })),
      {
        code: 'BAD_REQUEST',
        comment:
          'txn_date "20261120240000" must be YYYYMMDDHHMMSS, a real moment of the years 2000 to 2099',
      },
    ],
    [
      'txn_date in year 0000',
      () => parseTxnDate(p({ txn_date: '00001205100000' })),
      {
        code: 'BAD_REQUEST',
        comment: `txn_date "00001205100000" must be YYYYMMDDHHMMSS, a real moment of the years 2000 to 2099`,
      },
    ],
    [
      'txn_date in year 9999',
      () => parseTxnDate(p({ txn_date: '99991231235959' })),
      {
        code: 'BAD_REQUEST',
        comment: `txn_date "99991231235959" must be YYYYMMDDHHMMSS, a real moment of the years 2000 to 2099`,
      },
    ],
    [
      'txn_date on the last day accepted',
      () => parseTxnDate(p({ txn_date: '20991231235959' })),
      '2099-12-31T23:59:59+03:00',
    ],
    [
      'txn_date with separators',
      () => parseTxnDate(p({ txn_date: '2026-11-20 10:15' })),
      {
        code: 'BAD_REQUEST',
        comment:
          'txn_date "2026-11-20 10:15" must be YYYYMMDDHHMMSS, a real moment of the years 2000 to 2099',
      },
    ],
    [
      'a long value is clipped in the comment',
      () => parseAccount(p({ account: 'x'.repeat(100) })),
      { code: 'ACCOUNT_FORMAT', comment: `account "${'x'.repeat(40)}…" must be 10 digits` },
    ],
  ])('%s', (_name, parse, expected) => {
    expect(outcome(parse)).toEqual(expected);
  });
});

describe('payFingerprint', () => {
  const base = {
    command: 'pay',
    txn_id: '1001',
    txn_date: '20261120101500',
    account: '5001234567',
    sum: '0.00',
    meter1: '19-123456',
    t1_1: '00123.456',
  };
  const same = payFingerprint(base);

  it.each([
    ['a decimal comma instead of a dot', { t1_1: '00123,456' }],
    ['the sum written differently', { sum: '0' }],
    ['surrounding spaces', { account: ' 5001234567 ', meter1: ' 19-123456' }],
    ['an empty zone parameter', { t2_1: '' }],
    ['a parameter the protocol does not define', { prv_id: '77', terminal_type: 'x' }],
    ['another command or txn_id (not part of the parameters compared)', { command: 'check' }],
  ])('is unchanged by %s', (_name, change) => {
    expect(payFingerprint({ ...base, ...change })).toBe(same);
  });

  it.each([
    ['another value', { t1_1: '00123.457' }],
    ['another meter', { meter1: '19-123457' }],
    ['another account', { account: '5001234568' }],
    ['another sum', { sum: '10.00' }],
    ['another txn_date', { txn_date: '20261120101501' }],
    ['one more reading', { meter2: 'E-1', t1_2: '1' }],
    [
      'the value under another index',
      { meter1: '', t1_1: '', meter2: '19-123456', t1_2: '00123.456' },
    ],
  ])('changes with %s', (_name, change) => {
    expect(payFingerprint({ ...base, ...change })).not.toBe(same);
  });

  it('is a SHA-256 hex digest', () => {
    expect(same).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('echoOf', () => {
  it.each([
    [
      'txn_id and sum from the query',
      { txn_id: '7', sum: '5,5' },
      undefined,
      { osmpTxnId: '7', sum: '5.50' },
    ],
    ['txn_id from the form body', {}, { txn_id: '8' }, { osmpTxnId: '8', sum: undefined }],
    [
      'an invalid sum is not echoed',
      { txn_id: '9', sum: 'abc' },
      undefined,
      { osmpTxnId: '9', sum: undefined },
    ],
    ['no txn_id', {}, undefined, { osmpTxnId: null, sum: undefined }],
    [
      'a repeated txn_id (not text)',
      { txn_id: ['1', '2'] },
      undefined,
      { osmpTxnId: null, sum: undefined },
    ],
    [
      'a huge txn_id is clipped',
      { txn_id: '<'.repeat(100) },
      undefined,
      { osmpTxnId: `${'<'.repeat(64)}…`, sum: undefined },
    ],
  ])('%s', (_name, query, body, expected) => {
    expect(echoOf(query, body)).toEqual(expected);
  });
});
