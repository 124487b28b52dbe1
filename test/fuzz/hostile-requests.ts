import { KIOSK_PATHS, signKioskRequest } from '@gw/contracts';
import { csrfToken as pageCsrf } from '../../apps/cabinet-api/src/web/web-session';
import type { EdgeAccount, EdgeName } from '../support/edges';
import type { SeededRandom } from './seeded-random';

/** One request of the fuzz run, as bytes on the wire. */
export interface FuzzRequest {
  edge: EdgeName;
  /** What kind of hostility, for the report of a 5xx. */
  label: string;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Sent a second time once answered, unchanged: a replay. */
  replay?: boolean;
}

/** The credentials and data the requests aim at. */
export interface FuzzTargets {
  kiosk: { kioskId: string; secret: string };
  terminal: { login: string; password: string };
  centre: { login: string; password: string };
  operatorToken: string;
  residentToken: string;
  account: EdgeAccount;
}

const MIB = 1024 * 1024;

/** Strings that have broken parsers, databases, XML writers and path handling somewhere. */
const NASTY_TEXT = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u0001\u0002\u001f\u007f',
  '\t\r\n',
  "' OR '1'='1' --",
  '"; DROP TABLE readings; --',
  "1'); DELETE FROM meters; --",
  '<response><result>0</result></response>',
  '<![CDATA[x]]>',
  ']]>&amp;&lt;&#0;',
  '&#x0;',
  '../../../../etc/passwd',
  '..%2f..%2f..%2fetc%2fpasswd',
  '%00',
  '%',
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  'NaN',
  'Infinity',
  '-1',
  '-0',
  '1e308',
  '1e-400',
  '0x1F',
  '01234,567',
  '١٢٣',
  '9'.repeat(400),
  'ЛС №5001234567',
  '\ud800',
  '\uffff\ufffe',
  '🚰💧',
  'x'.repeat(4000),
  '2026-11-20T10:15:00+03:00',
  '0000-12-05T10:00:00+03:00',
  '9999-12-31T23:59:59-14:00',
  '1999-12-31T23:59:59Z',
  '2100-01-01T00:00:00Z',
  '2026-02-30T10:00:00+03:00',
  '2026-11-20T10:15:00+14:01',
  '2026-11-20T10:15:00-23:59',
  '0000-01-01',
  '9999-12-31',
  '0000-12',
  '9999-12',
  '2026-13',
  '00001205100000',
  '99991231235959',
];

const NASTY_NUMBERS = [
  0,
  -1,
  -0.5,
  1.5,
  1e308,
  -1e308,
  2 ** 53 + 1,
  2 ** 64,
  1e-7,
  1.2345678901234567e19,
];

/** JSON tokens JSON.stringify never writes: the parser has to refuse them. */
const RAW_TOKENS = [
  'NaN',
  '-NaN',
  'Infinity',
  '1e999',
  '-1e999',
  '0x10',
  '+1',
  '.5',
  '01',
  'undefined',
  "'x'",
  '"\\u0000"',
  '"\\ud800"',
];

const PATH_NASTIES = [
  '..%2F..%2Fetc%2Fpasswd',
  '..',
  '%2e%2e',
  '%00',
  'a%00b',
  '%FF',
  '%E0%A4%A',
  '%252e%252e',
  "'%20OR%201=1",
  '%3Cx%3E',
  'x'.repeat(3000),
  '00000000-0000-0000-0000-000000000000',
  '-1',
  '1e9',
];

/** Percent-encodes the UTF-8 bytes of `text` (encodeURIComponent throws on a lone surrogate). */
function escape(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8'))
    out += /[A-Za-z0-9_.~-]/.test(String.fromCharCode(byte))
      ? String.fromCharCode(byte)
      : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}

/** `fields` as a form or query string. */
const formOf = (fields: Record<string, unknown>) =>
  Object.entries(fields)
    .map(([k, v]) => `${escape(k)}=${escape(String(v))}`)
    .join('&');

/** The form cookie the page requests carry: any 43 base64url characters pass for one. */
const PAGE_FORM_COOKIE = 'f'.repeat(43);

export const deepJson = (levels: number, open = '[', close = ']') =>
  open.repeat(levels) + close.repeat(levels);

/**
 * Generates the hostile requests of the fuzz run from one seeded generator. Each edge gets the
 * same families (wrong types, extreme numbers, dates out of range, control characters, U+0000,
 * huge and deep bodies, bad charsets, traversal in paths), shaped to reach its validation: most
 * requests carry valid credentials.
 */
export class HostileRequests {
  private batches = 0;

  constructor(
    private readonly random: SeededRandom,
    private readonly targets: FuzzTargets,
  ) {}

  next(): FuzzRequest {
    const edge = this.random.weighted<EdgeName>([
      [3, 'kiosk'],
      [3, 'terminal'],
      [3, 'cabinet'],
      [1.5, 'slips'],
      [3, 'backoffice'],
    ]);
    switch (edge) {
      case 'kiosk':
        return this.kiosk();
      case 'terminal':
        return this.terminal();
      case 'cabinet':
        return this.cabinet();
      case 'slips':
        return this.slips();
      default:
        return this.backoffice();
    }
  }

  // ---- values

  private text(): string {
    return this.random.pick(NASTY_TEXT);
  }

  /** Any JSON value, hostile most of the time. */
  private value(depth = 0): unknown {
    const r = this.random;
    switch (r.int(depth > 2 ? 4 : 7)) {
      case 0:
        return this.text();
      case 1:
        return r.pick(NASTY_NUMBERS);
      case 2:
        return r.pick([null, true, false]);
      case 3:
        return r.pick(['T1', 'T2', 'T3', '5001234567', '00110.500', '2026-11-20']);
      case 4:
        return Array.from({ length: r.int(4) }, () => this.value(depth + 1));
      case 5:
        return Object.fromEntries(
          Array.from({ length: r.int(4) }, () => [
            r.pick(['a', 'zone', 'value', '__proto__', 'constructor', '\u0000', 'x'.repeat(300)]),
            this.value(depth + 1),
          ]),
        );
      default:
        return r.pick(NASTY_NUMBERS).toString();
    }
  }

  /** `fields` with some replaced by hostile values and some left out. */
  private mangle(fields: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(fields)) {
      const roll = this.random.next();
      if (roll < 0.1) continue;
      out[key] = roll < 0.45 ? this.value() : value;
    }
    if (this.random.chance(0.1)) out[this.text().slice(0, 40) || 'extra'] = this.value();
    return out;
  }

  /** A JSON body: usually the mangled object; sometimes broken, deep, huge or a raw token. */
  private jsonBody(fields: Record<string, unknown>): { body: Buffer; label: string } {
    const r = this.random;
    const roll = r.next();
    if (roll < 0.06) {
      const levels = r.pick([100, 1000, 10_000, 40_000]);
      const key = r.pick(Object.keys(fields));
      return {
        body: Buffer.from(
          `{"${key}":${r.chance(0.5) ? deepJson(levels) : deepJson(levels, '{"a":', '}').replace(/\{"a":\}/, '{"a":1}')}}`,
        ),
        label: `deep JSON ${levels}`,
      };
    }
    if (roll < 0.1) {
      const key = r.pick(Object.keys(fields));
      return { body: Buffer.from(`{"${key}":${r.pick(RAW_TOKENS)}}`), label: 'raw JSON token' };
    }
    if (roll < 0.13)
      return {
        body: Buffer.from(r.pick(['', '{', '[]', 'null', '"x"', '42', '{"a":1}}', '\u0000'])),
        label: 'broken JSON',
      };
    if (roll < 0.145) {
      const size = r.pick([110 * 1024, 1.1 * MIB]);
      return {
        body: Buffer.from(JSON.stringify({ ...fields, padding: 'x'.repeat(size) })),
        label: `body of ${Math.round(size / 1024)} KiB`,
      };
    }
    return { body: Buffer.from(JSON.stringify(this.mangle(fields))), label: 'mangled JSON' };
  }

  private contentType(json: boolean): string {
    const base = json ? 'application/json' : 'application/x-www-form-urlencoded';
    return this.random.weighted([
      [20, base],
      [2, `${base}; charset=utf-8`],
      [1, `${base}; charset=windows-1251`],
      [1, `${base}; charset=latin1`],
      [1, `${base}; charset=utf-16`],
      [1, `${base}; charset=x-nonsense`],
      [1, 'text/plain'],
      [1, 'application/xml'],
      [1, 'multipart/form-data; boundary=x'],
      [0.5, ''],
    ]);
  }

  private pathPart(valid: string): string {
    return this.random.chance(0.7) ? escape(valid) : this.random.pick(PATH_NASTIES);
  }

  private query(params: Record<string, unknown>): string {
    let query = formOf(this.mangle(params));
    if (this.random.chance(0.05)) query += '&a=%00&b=%ZZ&c[d][e]=1';
    return query ? `?${query}` : '';
  }

  // ---- kiosk-gateway

  private kiosk(): FuzzRequest {
    const r = this.random;
    const { account } = this.targets;
    if (r.chance(0.12)) {
      const id = r.chance(0.5)
        ? `${r.hex(4)}-${r.hex(2)}-${r.hex(2)}-${r.hex(2)}-${r.hex(6)}`
        : r.pick(PATH_NASTIES);
      const path = KIOSK_PATHS.submission(id);
      return {
        edge: 'kiosk',
        label: 'kiosk submission lookup',
        method: 'GET',
        path,
        headers: this.kioskHeaders('GET', path, Buffer.alloc(0)),
      };
    }
    const item = () => ({
      seq: r.chance(0.8) ? r.int(1000) + 1 : r.pick(NASTY_NUMBERS),
      accountNumber: account.accountNumber,
      meterSerial: account.serial,
      values: [{ zone: 'T1', value: `${100 + r.int(100)}.${r.int(1000)}` }],
      readAt: r.pick([
        new Date().toISOString(),
        '0000-12-05T10:00:00+03:00',
        '9999-12-31T23:00:00-14:00',
        '2026-11-20T10:15:00+14:01',
      ]),
    });
    const batch = {
      batchId: r.chance(0.8) ? `fuzz-${r.hex(6)}` : this.text(),
      items: r.chance(0.9)
        ? Array.from({ length: 1 + r.int(4) }, () => this.mangle(item()))
        : this.value(),
    };
    const { body, label } = this.jsonBody(batch);
    const contentType = r.chance(0.9) ? 'application/json' : this.contentType(true);
    const auth = r.weighted<'valid' | 'replay' | 'bad signature' | 'expired' | 'malformed'>([
      [70, 'valid'],
      [5, 'replay'],
      [10, 'bad signature'],
      [8, 'expired'],
      [7, 'malformed'],
    ]);
    let headers = this.kioskHeaders('POST', KIOSK_PATHS.readings, body);
    if (auth === 'bad signature') headers['X-Signature'] = r.hex(32);
    if (auth === 'expired')
      headers = this.kioskHeaders('POST', KIOSK_PATHS.readings, body, -(301 + r.int(10_000_000)));
    if (auth === 'malformed')
      headers = {
        ...headers,
        ...r.pick<Record<string, string>>([
          { 'X-Timestamp': r.pick(['NaN', '1e9', '-1', '', '99999999999999999999', '0x10']) },
          { 'X-Nonce': r.pick(['short', 'has space in it 123456', 'x'.repeat(65), '']) },
          { 'X-Kiosk-Id': r.pick(["' OR 1=1 --", '../etc', 'x'.repeat(200), '']) },
          { 'X-Signature': r.pick(['', 'zz', 'A'.repeat(64)]) },
        ]),
      };
    return {
      edge: 'kiosk',
      label: `kiosk ${auth}, ${label}`,
      method: 'POST',
      path: KIOSK_PATHS.readings,
      headers: { ...headers, ...(contentType ? { 'Content-Type': contentType } : {}) },
      body,
      replay: auth === 'replay',
    };
  }

  private kioskHeaders(
    method: string,
    path: string,
    body: Buffer,
    skewSeconds = 0,
  ): Record<string, string> {
    const { kiosk } = this.targets;
    const timestamp = String(Math.floor(Date.now() / 1000) + skewSeconds);
    const nonce = this.random.hex(16);
    return {
      'X-Kiosk-Id': kiosk.kioskId,
      'X-Timestamp': timestamp,
      'X-Nonce': nonce,
      'X-Signature': signKioskRequest(kiosk.secret, {
        timestamp,
        nonce,
        method,
        path,
        body: body.toString('utf8'),
      }),
    };
  }

  // ---- terminal-gateway

  private terminal(): FuzzRequest {
    const r = this.random;
    const { terminal, account } = this.targets;
    const now = new Date(Date.now() + 3 * 3600_000)
      .toISOString()
      .replace(/[-T:]/g, '')
      .slice(0, 14);
    const params: Record<string, unknown> = {
      command: r.pick(['check', 'pay', 'status', 'pay', 'check']),
      txn_id: String(Date.now() * 1000 + r.int(1000)),
      txn_date: r.pick([now, '00001205100000', '99991231235959', '20260230101500', now]),
      account: account.accountNumber,
      sum: r.pick(['0', '0.00', '10,5']),
      meter1: account.serial,
      t1_1: `${100 + r.int(100)},${r.int(1000)}`,
    };
    const mangled = this.mangle(params);
    if (r.chance(0.05))
      mangled[`meter${r.pick(['0', '99999999999999999999', '-1', '1e3'])}`] = this.text();
    let form = formOf(mangled);
    let label = 'terminal mangled form';
    const roll = r.next();
    if (roll < 0.02) {
      form += `&pad=${'x'.repeat(70 * 1024)}`;
      label = 'terminal 70 KB form';
    } else if (roll < 0.04) {
      form += `&${Array.from({ length: 1001 }, (_, i) => `f${i}=1`).join('&')}`;
      label = 'terminal 1,001 fields';
    } else if (roll < 0.06) {
      form += '&account=%00&sum=%ZZ&meter1=%';
      label = 'terminal broken escapes';
    }
    const auth = r.weighted([
      [88, `Basic ${Buffer.from(`${terminal.login}:${terminal.password}`).toString('base64')}`],
      [4, `Basic ${Buffer.from(`${terminal.login}:wrong`).toString('base64')}`],
      [
        3,
        r.pick([
          'Basic !!!',
          'Bearer x',
          'Basic',
          `Basic ${Buffer.from('\u0000:\u0000').toString('base64')}`,
        ]),
      ],
      [5, ''],
    ]);
    const headers: Record<string, string> = auth ? { Authorization: auth } : {};
    if (r.chance(0.4))
      return {
        edge: 'terminal',
        label: `${label} (GET)`,
        method: 'GET',
        path: `/v1/terminal/osmp?${form}`,
        headers,
      };
    const contentType = this.contentType(false);
    return {
      edge: 'terminal',
      label: `${label} (POST ${contentType || 'no type'})`,
      method: 'POST',
      path: r.chance(0.95)
        ? '/v1/terminal/osmp'
        : r.pick([
            '/v1/terminal/osmp/..%2F..%2Fhealth',
            '/v1/terminal/%00',
            '/v1/terminal/osmp?x=%00',
          ]),
      headers: { ...headers, ...(contentType ? { 'Content-Type': contentType } : {}) },
      body: Buffer.from(form),
    };
  }

  // ---- cabinet-api

  private cabinet(): FuzzRequest {
    const r = this.random;
    const { account, residentToken } = this.targets;
    const auth: Record<string, string> = r.chance(0.8)
      ? { Authorization: `Bearer ${residentToken}` }
      : r.chance(0.5)
        ? { Authorization: `Bearer ${r.hex(40)}` }
        : {};
    const accountPath = this.pathPart(account.accountNumber);
    const route = r.weighted<readonly [string, 'GET' | 'POST', Record<string, unknown>]>([
      [
        2,
        [
          '/v1/cabinet/registrations',
          'POST',
          {
            accountNumber: account.accountNumber,
            period: '2026-10',
            amountCharged: '1.00',
            email: 'a@example.ru',
            phone: '+79161234567',
          },
        ],
      ],
      [
        1,
        [
          `/v1/cabinet/registrations/${this.pathPart(r.hex(8))}/confirm`,
          'POST',
          { code: '123456' },
        ],
      ],
      [2, ['/v1/cabinet/sessions', 'POST', { email: `fuzz-${r.hex(3)}@example.ru` }]],
      [1, ['/v1/cabinet/sessions/confirm', 'POST', { email: 'a@example.ru', code: '123456' }]],
      [1, ['/v1/cabinet/accounts', 'GET', {}]],
      [
        1,
        [
          '/v1/cabinet/accounts',
          'POST',
          { accountNumber: account.accountNumber, period: '2026-10', amountCharged: '1.00' },
        ],
      ],
      [1, [`/v1/cabinet/accounts/${accountPath}/meters`, 'GET', {}]],
      [
        4,
        [
          `/v1/cabinet/accounts/${accountPath}/readings`,
          'POST',
          {
            readings: [
              {
                meterSerial: account.serial,
                values: [{ zone: 'T1', value: `${100 + r.int(100)}.5` }],
              },
            ],
          },
        ],
      ],
      [2, [`/v1/cabinet/accounts/${accountPath}/readings`, 'GET', { period: '2026-11' }]],
    ]);
    const [path, method, fields] = route;
    if (method === 'GET')
      return {
        edge: 'cabinet',
        label: `cabinet GET ${path.split('?')[0]}`,
        method,
        path: `${path}${this.query(fields)}`,
        headers: auth,
      };
    const { body, label } = this.jsonBody(fields);
    const contentType = this.contentType(true);
    const headers: Record<string, string> = {
      ...auth,
      ...(contentType ? { 'Content-Type': contentType } : {}),
    };
    if (r.chance(0.1)) headers['Idempotency-Key'] = r.pick(['k', 'x'.repeat(65), "' OR 1=1", '']);
    // A client address per request, so the per-IP registration limit answers 429 less often.
    headers['X-Forwarded-For'] = `10.${r.int(256)}.${r.int(256)}.${r.int(256)}`;
    return {
      edge: 'cabinet',
      label: `cabinet POST ${path}: ${label}`,
      method,
      path,
      headers,
      body,
    };
  }

  /**
   * A hostile request to the residents' pages of cabinet-api. Most carry the resident's session
   * cookie and a fixed form cookie with their valid anti-forgery values, so forms reach parsing;
   * sign-out is left out, as the rest of the run needs the session.
   */
  cabinetPage(): FuzzRequest {
    const r = this.random;
    const { account, residentToken } = this.targets;
    const sessionCsrf = pageCsrf(residentToken);
    const formCsrf = pageCsrf(PAGE_FORM_COOKIE);
    const csrf = (valid: string) => (r.chance(0.85) ? valid : r.pick(['', 'x', valid.slice(1)]));
    const accountPath = this.pathPart(account.accountNumber);
    const id = `${r.hex(4)}-${r.hex(2)}-4${r.hex(2).slice(1)}-8${r.hex(2).slice(1)}-${r.hex(6)}`;
    const cookie = [
      r.chance(0.9) ? `__Host-cab_form=${PAGE_FORM_COOKIE}` : `__Host-cab_form=${r.hex(5)}`,
      r.chance(0.85) ? `__Host-cab_session=${residentToken}` : `__Host-cab_session=${r.hex(20)}`,
    ].join('; ');
    if (r.chance(0.4)) {
      const [path, params] = r.pick<readonly [string, Record<string, unknown>]>([
        ['/', {}],
        ['/login', { next: r.pick(['/accounts', '//evil.example', '/\\evil', 'javascript:x']) }],
        ['/register', {}],
        [`/register/${this.pathPart(id)}`, {}],
        ['/accounts', { done: r.pick(['linked', 'x', '']) }],
        [`/accounts/${accountPath}`, {}],
        [`/accounts/${accountPath}/readings`, { r: `${id}:${account.serial}` }],
        [`/accounts/${accountPath}/meters/${this.pathPart(account.serial)}`, {}],
      ]);
      return {
        edge: 'cabinet',
        label: `cabinet page GET ${path}`,
        method: 'GET',
        path: `${path}${this.query(params)}`,
        headers: { Cookie: cookie },
      };
    }
    const document = {
      accountNumber: account.accountNumber,
      period: '2026-10',
      amountCharged: '1,00',
    };
    const [path, fields] = r.pick<readonly [string, Record<string, unknown>]>([
      ['/login', { _csrf: csrf(formCsrf), email: `fuzz-${r.hex(3)}@example.ru`, next: '/' }],
      ['/login/code', { _csrf: csrf(formCsrf), email: 'a@example.ru', code: '123456' }],
      [
        '/register',
        { _csrf: csrf(formCsrf), ...document, email: 'a@example.ru', phone: '+79161234567' },
      ],
      [`/register/${this.pathPart(id)}`, { _csrf: csrf(formCsrf), code: '123456' }],
      ['/accounts', { _csrf: csrf(sessionCsrf), ...document }],
      [
        `/accounts/${accountPath}/readings`,
        {
          _csrf: csrf(sessionCsrf),
          _key: r.hex(8),
          's-0': account.serial,
          'v-0-T1': `${100 + r.int(100)},5`,
        },
      ],
    ]);
    const form = r.chance(0.1)
      ? r.pick(['', '%', 'a=%ZZ', `${'a[b]'.repeat(50)}=1`, 'email=%00&code=%00'])
      : formOf(this.mangle(fields));
    const contentType = this.contentType(false);
    return {
      edge: 'cabinet',
      label: `cabinet page POST ${path} (${contentType || 'no type'})`,
      method: 'POST',
      path,
      headers: {
        Cookie: cookie,
        // A client address per request, so the per-IP limits answer 429 less often.
        'X-Forwarded-For': `10.${r.int(256)}.${r.int(256)}.${r.int(256)}`,
        ...(contentType ? { 'Content-Type': contentType } : {}),
      },
      body: Buffer.from(form),
    };
  }

  // ---- slip-ingest

  private slips(): FuzzRequest {
    const r = this.random;
    const { centre, account } = this.targets;
    const auth: Record<string, string> = r.chance(0.9)
      ? {
          Authorization: `Basic ${Buffer.from(`${centre.login}:${centre.password}`).toString('base64')}`,
        }
      : {
          Authorization: r.pick([
            'Basic Og==',
            'Basic %00',
            `Basic ${Buffer.from(`${centre.login}:x`).toString('base64')}`,
          ]),
        };
    if (r.chance(0.25)) {
      const id = r.chance(0.5) ? `FUZZ-${r.hex(4)}` : r.pick(PATH_NASTIES);
      return {
        edge: 'slips',
        label: 'slip batch report',
        method: 'GET',
        path: `/v1/slips/batches/${id}${this.query({ after: 0, limit: 10, status: 'invalid' })}`,
        headers: auth,
      };
    }
    this.batches += 1;
    const qr = () =>
      r.chance(0.7)
        ? `ST00012|Name=X|PersonalAcc=40702810040000012345|BankName=B|BIC=044525225|CorrespAcc=30101810400000000225|PersAcc=${account.accountNumber}|PaymPeriod=${r.pick(['112026', '120000', '129999', '13.2026', ''])}`
        : r.pick([
            'ST0001',
            'ST00012|',
            'ST00022|Name=x',
            `ST00012|${'A=B|'.repeat(200)}`,
            this.text(),
          ]);
    const cell = (valid: string) => (r.chance(0.25) ? this.text().replace(/[;\n"]/g, '') : valid);
    const rows = Array.from({ length: 1 + r.int(6) }, (_, i) =>
      [
        cell(`S-${this.batches}-${i}`),
        qr(),
        cell(account.serial),
        cell('T1'),
        cell(`${100 + r.int(100)},${r.int(10)}`),
        cell('0.97'),
        cell(r.chance(0.2) ? 'img\u0000.png' : 'img.png'),
      ].join(';'),
    );
    let csv = `slip_id;qr_payload;meter_serial;zone;value;confidence;image_ref\n${rows.join('\n')}\n`;
    let label = 'slip rows';
    const roll = r.next();
    if (roll < 0.05) {
      csv += `S-q;"unclosed quote;${'x'.repeat(2000)}\n`;
      label = 'slip unclosed quote';
    } else if (roll < 0.08) {
      csv = r.pick([
        '',
        '\n\n',
        'not;a;header\n1;2;3\n',
        '\u0000\u0000',
        `slip_id;${'x;'.repeat(5000)}\n`,
      ]);
      label = 'slip broken file';
    } else if (roll < 0.1) {
      csv += `S-big;${'y'.repeat(300 * 1024)}\n`;
      label = 'slip runaway row';
    }
    const batchId = r.chance(0.85)
      ? `FUZZ-${process.env.E2E_RUN_ID}-${this.batches}`
      : r.pick(['', '../x', 'a b', 'x'.repeat(65), "'--"]);
    const headers: Record<string, string> = {
      ...auth,
      ...(batchId ? { 'X-Batch-Id': batchId } : {}),
    };
    if (r.chance(0.3)) {
      const boundary = r.pick(['fuzz-boundary', '', '"q"', 'x'.repeat(100)]);
      const head =
        `--${boundary}\r\nContent-Disposition: form-data; name="${r.pick(['file', 'file', 'other'])}"; filename="b.csv"\r\n` +
        'Content-Type: text/csv\r\n\r\n';
      const whole = `${head}${csv}\r\n--${boundary}--\r\n`;
      const cut = r.chance(0.6);
      return {
        edge: 'slips',
        label: cut ? 'slip multipart cut off' : `multipart ${label}`,
        method: 'POST',
        path: '/v1/slips/batches',
        headers: { ...headers, 'Content-Type': `multipart/form-data; boundary=${boundary}` },
        body: Buffer.from(cut ? whole.slice(0, head.length + r.int(csv.length + 1)) : whole),
      };
    }
    return {
      edge: 'slips',
      label,
      method: 'POST',
      path: '/v1/slips/batches',
      headers: {
        ...headers,
        'Content-Type': r.pick([
          'text/csv',
          'text/csv',
          'text/csv; charset=windows-1251',
          'text/csv; charset=utf-8',
          'application/json',
        ]),
      },
      body: Buffer.from(csv),
    };
  }

  // ---- backoffice-api, API and web UI

  private backoffice(): FuzzRequest {
    const r = this.random;
    const { operatorToken, account } = this.targets;
    const bearer: Record<string, string> = r.chance(0.85)
      ? { Authorization: `Bearer ${operatorToken}` }
      : { Authorization: `Bearer ${r.hex(30)}` };
    const serial = this.pathPart(account.serial);
    const id = this.pathPart(`${r.hex(4)}-${r.hex(2)}-${r.hex(2)}-${r.hex(2)}-${r.hex(6)}`);
    const date = () =>
      r.pick(['2026-11-01', '0000-01-01', '9999-12-31', '2026-02-30', '1999-12-31', '2099-12-31']);
    const instant = () =>
      r.pick([
        '2026-11-01T00:00:00+03:00',
        '0000-12-05T10:00:00+03:00',
        '9999-12-31T23:00:00-14:00',
      ]);
    const gets: (readonly [string, Record<string, unknown>])[] = [
      ['/v1/stats/channels', { from: date(), to: date() }],
      [
        '/v1/audit',
        { from: instant(), to: instant(), login: 'x', action: 'auth.login', limit: 10 },
      ],
      [
        '/v1/review',
        {
          status: 'open',
          channel: 'kiosk',
          reason: 'LOW_CONFIDENCE',
          minAgeHours: 1,
          maxAgeHours: 5,
          limit: 5,
        },
      ],
      [`/v1/review/${id}`, {}],
      [`/v1/submissions/${id}`, {}],
      [`/v1/meters/${serial}/readings`, { from: '2026-01', to: '2026-12' }],
      [`/v1/accounts/${this.pathPart(account.accountNumber)}/meters`, {}],
    ];
    const posts: (readonly [string, Record<string, unknown>])[] = [
      ['/v1/auth/login', { login: `fuzz-${r.hex(3)}`, password: 'p' }],
      [
        `/v1/meters/${serial}/verifications`,
        { verifiedOn: date(), intervalMonths: 72, certificateNo: 'C-1', applicable: true },
      ],
      [`/v1/meters/${serial}/revalidate`, { submissionIds: [id] }],
      [`/v1/review/${id}/claim`, {}],
      [`/v1/review/${id}/release`, {}],
      [`/v1/review/${id}/approve`, { comment: 'ok', values: [{ zone: 'T1', value: '1' }] }],
      [`/v1/review/${id}/approve-swapped`, { comment: 'swapped' }],
      [`/v1/review/${id}/reject`, { comment: 'no', reasons: ['VALUE_FORMAT'] }],
    ];
    const web: (readonly [string, Record<string, unknown>])[] = [
      [
        '/',
        {
          status: 'open',
          channel: 'kiosk',
          done: 'approved',
          id: 'x',
          error: 'NOT_FOUND',
          reasons: 'A,B',
        },
      ],
      ['/login', { next: r.pick(['/', '//evil.example', '/\\evil', 'javascript:alert(1)']) }],
      [`/review/${id}`, {}],
      ['/search', { q: this.text() }],
      [`/meters/${serial}`, {}],
      ['/dashboard', { month: r.pick(['2026-11', '0000-01', '9999-12', '2099-12', '2000-01']) }],
    ];
    const kind = r.weighted<'api get' | 'api post' | 'web get' | 'web post'>([
      [4, 'api get'],
      [4, 'api post'],
      [2, 'web get'],
      [1.5, 'web post'],
    ]);
    const cookie = { Cookie: `bo_session=${r.chance(0.7) ? operatorToken : r.hex(20)}` };
    if (kind === 'api get' || kind === 'web get') {
      const [path, params] = r.pick(kind === 'api get' ? gets : web);
      return {
        edge: 'backoffice',
        label: `backoffice ${kind} ${path}`,
        method: 'GET',
        path: `${path}${this.query(params)}`,
        headers: kind === 'api get' ? bearer : cookie,
      };
    }
    if (kind === 'api post') {
      const [path, fields] = r.pick(posts);
      const { body, label } = this.jsonBody(fields);
      const contentType = this.contentType(true);
      return {
        edge: 'backoffice',
        label: `backoffice POST ${path}: ${label}`,
        method: 'POST',
        path,
        headers: { ...bearer, ...(contentType ? { 'Content-Type': contentType } : {}) },
        body,
      };
    }
    const [path, fields] = r.pick<readonly [string, Record<string, unknown>]>([
      ['/login', { login: `fuzz-${r.hex(3)}`, password: 'p', next: '/' }],
      [`/review/${id}/approve`, { _csrf: 'x', comment: 'ok', value_T1: '1' }],
      [`/review/${id}/reject`, { _csrf: 'x', comment: 'no', reasons: 'VALUE_FORMAT' }],
      [
        `/meters/${serial}/verifications`,
        { _csrf: 'x', verifiedOn: date(), intervalMonths: '72', certificateNo: 'C' },
      ],
    ]);
    const form = r.chance(0.1)
      ? r.pick(['', '%', 'a=%ZZ', `${'a[b]'.repeat(50)}=1`, 'login=%00&password=%00'])
      : formOf(this.mangle(fields));
    const contentType = this.contentType(false);
    return {
      edge: 'backoffice',
      label: `backoffice web POST ${path} (${contentType || 'no type'})`,
      method: 'POST',
      path,
      headers: { ...cookie, ...(contentType ? { 'Content-Type': contentType } : {}) },
      body: Buffer.from(form),
    };
  }
}
