import { createHash } from 'node:crypto';
import { FIRST_YEAR, isTimestamp, LAST_YEAR, normaliseDecimal } from '@gw/contracts';
import { ACCOUNT_NUMBER } from '@gw/domain';
import { OsmpError } from './osmp-errors';
import type { OsmpReply } from './osmp-xml';

export const OSMP_COMMANDS = ['check', 'pay', 'status'] as const;
export type OsmpCommand = (typeof OSMP_COMMANDS)[number];

/** The request's parameters, each given once, as text. */
export type OsmpParams = Readonly<Record<string, string>>;

/** Longest piece of a parameter quoted back to the terminal. */
const QUOTE_MAX = 40;

export function clip(text: string, max = QUOTE_MAX): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** A parameter value as comments quote it; the XML writer escapes it. */
export function quote(text: string): string {
  return `"${clip(text)}"`;
}

const badRequest = (message: string) => new OsmpError('BAD_REQUEST', message);

/**
 * Merges the query string and the form body. A name given twice (in one of them, or in both) is
 * refused: which of two account numbers was meant is not ours to guess.
 */
export function collectParams(...sources: unknown[]): OsmpParams {
  const params: Record<string, string> = Object.create(null);
  for (const source of sources) {
    if (typeof source !== 'object' || source === null) continue;
    for (const [name, value] of Object.entries(source)) {
      if (typeof value !== 'string' || Object.hasOwn(params, name))
        throw badRequest(`parameter ${quote(name)} given more than once`);
      params[name] = value;
    }
  }
  return params;
}

function required(params: OsmpParams, name: string): string {
  const value = params[name]?.trim() ?? '';
  if (value === '') throw badRequest(`${name} is required`);
  return value;
}

/**
 * The command a `command` parameter names, trimmed like every parameter; null when it names none
 * of the protocol's. Never throws: failed requests are counted by it too.
 */
export function knownCommand(value: unknown): OsmpCommand | null {
  const command = typeof value === 'string' ? value.trim() : '';
  return (OSMP_COMMANDS as readonly string[]).includes(command) ? (command as OsmpCommand) : null;
}

export function parseCommand(params: OsmpParams): OsmpCommand {
  const command = required(params, 'command');
  const known = knownCommand(command);
  if (known === null)
    throw badRequest(`unknown command ${quote(command)}: use ${OSMP_COMMANDS.join(', ')}`);
  return known;
}

export const TXN_ID = /^\d{1,20}$/;

export function parseTxnId(params: OsmpParams): string {
  const txnId = required(params, 'txn_id');
  if (!TXN_ID.test(txnId)) throw badRequest(`txn_id ${quote(txnId)} must be 1 to 20 digits`);
  return txnId;
}

export function parseAccount(params: OsmpParams): string {
  const account = params.account?.trim() ?? '';
  if (!ACCOUNT_NUMBER.test(account)) {
    throw new OsmpError(
      'ACCOUNT_FORMAT',
      account === '' ? 'account is required' : `account ${quote(account)} must be 10 digits`,
    );
  }
  return account;
}

const AMOUNT = /^(\d{1,12})(?:[.,](\d{1,2}))?$/;

/** The amount with exactly two fraction digits ("0", "0,5" and "00.50" give "0.00", "0.50", "0.50"). */
export function parseSum(params: OsmpParams): string {
  const sum = required(params, 'sum');
  const match = AMOUNT.exec(sum);
  if (!match) throw badRequest(`sum ${quote(sum)} must be an amount such as 0.00`);
  return `${match[1].replace(/^0+(?=\d)/, '')}.${(match[2] ?? '').padEnd(2, '0')}`;
}

const TXN_DATE = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;

/**
 * `txn_date` is the network's local time without a zone. The networks serving this utility run on
 * Moscow time (UTC+3, no DST), so it is read as +03:00 and becomes the readings' `readAt`.
 */
export function parseTxnDate(params: OsmpParams): string {
  const text = required(params, 'txn_date');
  const m = TXN_DATE.exec(text);
  const readAt = m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+03:00` : '';
  if (!isTimestamp(readAt))
    throw badRequest(
      `txn_date ${quote(text)} must be YYYYMMDDHHMMSS, a real moment of the years ${FIRST_YEAR} to ${LAST_YEAR}`,
    );
  return readAt;
}

/** Parameter names that carry readings: `meterN`, `t1_N`, `t2_N`, `t3_N`. */
export const READING_PARAM = /^(?:meter|t[1-3]_)(\d+)$/;

/**
 * What makes two pays "the same": account, sum, txn_date and the readings, trimmed, with a
 * decimal comma read as a dot and empty values dropped; parameters the protocol does not define
 * are ignored. Hashed, so the txn store keeps no readings twice.
 */
export function payFingerprint(params: OsmpParams): string {
  const decimal = (text: string) => normaliseDecimal(text);
  const sum = (() => {
    try {
      return parseSum(params);
    } catch {
      return decimal(params.sum ?? '');
    }
  })();
  const readings = Object.keys(params)
    .filter((name) => READING_PARAM.test(name) && params[name].trim() !== '')
    .sort()
    .map((name) => [name, name.startsWith('meter') ? params[name].trim() : decimal(params[name])]);
  const canonical = [
    ['account', (params.account ?? '').trim()],
    ['sum', sum],
    ['txn_date', (params.txn_date ?? '').trim()],
    ...readings,
  ];
  return createHash('sha256').update(JSON.stringify(canonical), 'utf8').digest('hex');
}

/**
 * What a failed request still echoes: the `txn_id` as sent (clipped) and the sum when it is an
 * amount. Never throws: it runs while another error is being answered.
 */
export function echoOf(query: unknown, body: unknown): Pick<OsmpReply, 'osmpTxnId' | 'sum'> {
  const first = (name: string): string | undefined => {
    for (const source of [query, body]) {
      const value = (source as Record<string, unknown> | null | undefined)?.[name];
      if (typeof value === 'string') return value.trim();
    }
    return undefined;
  };
  const txnId = first('txn_id');
  let sum: string | undefined;
  try {
    sum = parseSum({ sum: first('sum') ?? '' });
  } catch {
    sum = undefined;
  }
  return { osmpTxnId: txnId === undefined ? null : clip(txnId, 64), sum };
}
