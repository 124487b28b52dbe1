import {
  dataSourceOptions,
  MeterVerificationRepository,
  MIGRATIONS,
  transaction,
} from '@gw/persistence';
import { formatDate, moscowDate } from '@gw/domain';
import { verifyPassword } from '@gw/platform';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { OperatorLoginsIgnoreCase1765130000000 } from '../../libs/persistence/src/migrations/1765130000000-operator-logins-ignore-case';
import { dropDatabase, ensureDatabase } from '../../scripts/local-env';
import { uniqueAccount, uniqueSerial } from '../support/factories';
import { eventually, lockWaiters, testDatabase } from '../support/infra';

const ROOT = resolve(__dirname, '..', '..');
const run = promisify(execFile);

/** The CLI exactly as operators run it: `npm run ctl -- …`, JSON on stdout. */
function ctl(...args: string[]): Promise<{ json: unknown; stderr: string }> {
  return ctlIn(process.env, ...args);
}

/** `ctl` with another environment, such as another broker. */
async function ctlIn(
  env: NodeJS.ProcessEnv,
  ...args: string[]
): Promise<{ json: unknown; stderr: string }> {
  const { stdout, stderr } = await run('npm', ['run', 'ctl', '--', ...args], { cwd: ROOT, env });
  return { json: JSON.parse(stdout), stderr };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const HEADER =
  'account_number;serial;resource;zones;integer_digits;fraction_digits;installed_on;verified_on;verification_interval_months;decommissioned_on;initial_t1;initial_t2;initial_t3;initial_on';

describe('ctl through a real PostgreSQL', () => {
  let db: DataSource;
  let dir: string;

  beforeAll(async () => {
    db = await testDatabase();
    dir = mkdtempSync(join(tmpdir(), 'ctl-e2e-'));
  });

  afterAll(async () => {
    await db?.destroy();
  });

  it('imports a registry, reports bad lines by number, and changes nothing on re-import', async () => {
    const [a, b] = [uniqueAccount(), uniqueAccount()];
    const [water, power, gas] = [uniqueSerial('W'), uniqueSerial('E'), uniqueSerial('G')];
    const file = join(dir, 'registry.csv');
    writeFileSync(
      file,
      `\ufeff${HEADER}\n` +
        `${a};${water};cold_water;1;5;3;2019-03-01;2019-03-01;72;;00012.000;;;2019-03-01\n` +
        `${a};${power};electricity;2;6;1;2018-06-10;2018-06-10;192;;004512.3;001877.0;;2018-06-10\n` +
        `12345;X-1;cold_water;1;5;3;2019-03-01;2019-03-01;72;;;;;\n` +
        `${b};${gas};gas;2;5;3;2019-03-01;2019-03-01;96;;;;;\n` +
        `${b};${gas};gas;1;5;3;2019-03-01;2019-03-01;96;;;;;\n`,
    );
    expect((await ctl('registry', 'import', file)).json).toEqual({
      imported: 3,
      updated: 0,
      failed: [
        { line: 4, error: 'account_number must be 10 digits' },
        { line: 5, error: 'only electricity meters have more than one zone' },
      ],
    });
    expect((await ctl('registry', 'import', file)).json).toMatchObject({ imported: 0, updated: 0 });

    writeFileSync(
      file,
      `${HEADER}\n${a};${water};cold_water;1;5;3;2019-03-01;2025-02-20;72;;00012.000;;;2019-03-01\n`,
    );
    expect((await ctl('registry', 'import', file)).json).toEqual({
      imported: 0,
      updated: 1,
      failed: [],
    });
    const [meter] = await db.query(
      `SELECT verification_due_on::text AS due FROM meters WHERE serial = $1`,
      [water],
    );
    expect(meter.due).toBe('2031-02-20');
    const verifications = await db.query(
      `SELECT verified_on::text AS v FROM meter_verifications WHERE serial = $1 ORDER BY 1`,
      [water],
    );
    expect(verifications.map((r: { v: string }) => r.v)).toEqual(['2019-03-01', '2025-02-20']);
  });

  it('takes the verification intervals the back office takes, and reports a longer one naming the column and the range', async () => {
    const account = uniqueAccount();
    const [longest, beyond] = [uniqueSerial('I'), uniqueSerial('I')];
    const file = join(dir, 'intervals.csv');
    writeFileSync(
      file,
      `${HEADER}\n` +
        `${account};${longest};electricity;1;6;1;2019-03-01;2019-03-01;240;;;;;\n` +
        `${account};${beyond};electricity;1;6;1;2019-03-01;2019-03-01;241;;;;;\n`,
    );
    expect((await ctl('registry', 'import', file)).json).toEqual({
      imported: 1,
      updated: 0,
      failed: [{ line: 3, error: 'verification_interval_months must be from 1 to 240' }],
    });
    const meters = await db.query(
      `SELECT serial, verification_due_on::text AS due FROM meters WHERE serial = ANY($1)`,
      [[longest, beyond]],
    );
    expect(meters).toEqual([{ serial: longest, due: '2039-03-01' }]);
  });

  it("refuses a row verified after the import's Moscow day, as the back office refuses one", async () => {
    const account = uniqueAccount();
    const [verified, ahead] = [uniqueSerial('T'), uniqueSerial('T')];
    const row = (serial: string, verifiedOn: string) =>
      `${account};${serial};cold_water;1;5;3;2019-03-01;${verifiedOn};72;;;;;\n`;
    const file = join(dir, 'registry-ahead.csv');
    // The import reads its day between these two.
    const before = formatDate(moscowDate(new Date()));
    writeFileSync(file, `${HEADER}\n${row(verified, before)}${row(ahead, '2099-12-31')}`);
    const json = (await ctl('registry', 'import', file)).json as { failed: { error: string }[] };
    const after = formatDate(moscowDate(new Date()));
    expect(json).toEqual({
      imported: 1,
      updated: 0,
      failed: [{ line: 3, error: expect.stringMatching(/^verified_on must not be after today/) }],
    });
    expect([before, after].map((day) => `verified_on must not be after today (${day})`)).toContain(
      json.failed[0].error,
    );
    const meters = await db.query(`SELECT serial FROM meters WHERE serial = ANY($1)`, [
      [verified, ahead],
    ]);
    expect(meters).toEqual([{ serial: verified }]);
  });

  it('imports a serial listed twice from its later row, and a serial with a backslash as written', async () => {
    const account = uniqueAccount();
    const [twice, slashed] = [uniqueSerial('D'), `${uniqueSerial('S')}\\7`];
    const file = join(dir, 'registry-twice.csv');
    writeFileSync(
      file,
      `${HEADER}\n` +
        `${account};${twice};cold_water;1;5;3;2019-03-01;2019-03-01;72;;00012.000;;;2019-03-01\n` +
        `${account};${slashed};hot_water;1;5;3;2019-03-01;2019-03-01;72;;;;;\n` +
        `${account};${twice};cold_water;1;5;3;2019-03-01;2024-05-20;72;;00013.000;;;2019-03-01\n`,
    );
    expect((await ctl('registry', 'import', file)).json).toEqual({
      imported: 2,
      updated: 0,
      failed: [],
    });
    const meters = await db.query(
      `SELECT serial, verified_on::text AS verified, initial_t1::float8 AS initial FROM meters
        WHERE account_number = $1 ORDER BY serial`,
      [account],
    );
    expect(meters).toEqual([
      { serial: twice, verified: '2024-05-20', initial: 13 },
      { serial: slashed, verified: '2019-03-01', initial: null },
    ]);
  });

  it('locks the meters in serial order whatever the file order, so a batch of the processor never deadlocks with it', async () => {
    const account = uniqueAccount();
    const [first, second] = [uniqueSerial('L'), uniqueSerial('L')].sort();
    const file = join(dir, 'registry-lock-order.csv');
    const row = (serial: string, verifiedOn: string) =>
      `${account};${serial};cold_water;1;5;3;2019-03-01;${verifiedOn};72;;;;;`;
    writeFileSync(file, `${HEADER}\n${row(first, '2019-03-01')}\n${row(second, '2019-03-01')}\n`);
    await ctl('registry', 'import', file);
    // The file changes the later serial first: a registry comes in any order.
    writeFileSync(file, `${HEADER}\n${row(second, '2025-02-20')}\n${row(first, '2025-02-20')}\n`);

    // A store transaction of the processor, which locks a batch's meters in serial order; it
    // checks for a deadlock late, so PostgreSQL would roll back the import rather than it.
    const processor = db.createQueryRunner();
    await processor.connect();
    await processor.startTransaction();
    await processor.query(`SET LOCAL deadlock_timeout = '30s'`);
    const lock = (serial: string) =>
      processor.query(`SELECT 1 FROM meters WHERE serial = $1 FOR NO KEY UPDATE`, [serial]);
    await lock(first);
    const imported = ctl('registry', 'import', file);
    // The import waits for the first meter, before it locks the second...
    await eventually(
      () => lockWaiters(db, '%INSERT INTO meters AS m%'),
      (waiting) => waiting === 1,
    );
    // ...so the processor's lock of the second closes no cycle.
    await lock(second);
    await processor.rollbackTransaction();
    await processor.release();

    const { json, stderr } = await imported;
    expect(json).toEqual({ imported: 0, updated: 2, failed: [] });
    expect(stderr).not.toContain('rolled back by a lock conflict');
    const meters = await db.query(
      `SELECT serial, verified_on::text AS verified FROM meters WHERE account_number = $1 ORDER BY serial`,
      [account],
    );
    expect(meters).toEqual([
      { serial: first, verified: '2025-02-20' },
      { serial: second, verified: '2025-02-20' },
    ]);
  });

  it('runs two charges imports of the same rows in opposite orders at once without a deadlock', async () => {
    const [a, b, c] = [uniqueAccount(), uniqueAccount(), uniqueAccount()].sort();
    const rows = (amount: string) => [a, b, c].map((account) => `${account};2026-05;${amount}`);
    const [forward, backward] = [join(dir, 'charges-fwd.csv'), join(dir, 'charges-back.csv')];
    writeFileSync(forward, `account_number;period;amount_charged\n${rows('1.00').join('\n')}\n`);
    await ctl('charges', 'import', forward);
    writeFileSync(forward, `account_number;period;amount_charged\n${rows('2.00').join('\n')}\n`);
    writeFileSync(
      backward,
      `account_number;period;amount_charged\n${rows('2.00').reverse().join('\n')}\n`,
    );

    // Another writer holds the first account's charge, so both imports queue up behind it: in
    // file order the backward one would hold c and b by then.
    const holder = db.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query(`SET LOCAL idle_in_transaction_session_timeout = 0`);
    await holder.query(`SELECT 1 FROM charges WHERE account_number = $1 FOR UPDATE`, [a]);
    // Patient imports: each takes seconds to start on a busy machine.
    const patiently = (file: string) =>
      run('npm', ['run', 'ctl', '--', 'charges', 'import', file], {
        cwd: ROOT,
        env: {
          ...process.env,
          DATABASE_LOCK_TIMEOUT_MS: '120000',
          DATABASE_STATEMENT_TIMEOUT_MS: '120000',
        },
      });
    const imports = Promise.allSettled([patiently(forward), patiently(backward)]);
    await eventually(
      () => lockWaiters(db, '%INSERT INTO charges AS t%'),
      (waiting) => waiting === 2,
      90000,
    );
    await holder.commitTransaction();
    await holder.release();

    expect(
      (await imports).map((r) =>
        r.status === 'fulfilled' ? 'exit 0' : (r.reason as Error & { stderr: string }).stderr,
      ),
    ).toEqual(['exit 0', 'exit 0']);
    expect(
      await db.query(
        `SELECT account_number, amount_charged::text AS amount FROM charges
          WHERE account_number = ANY($1) ORDER BY 1`,
        [[a, b, c]],
      ),
    ).toEqual([a, b, c].map((account) => ({ account_number: account, amount: '2.00' })));
  });

  it('keeps a verification recorded in the back office over an older one in the file', async () => {
    const [account, serial] = [uniqueAccount(), uniqueSerial('V')];
    const file = join(dir, 'registry-verified.csv');
    const row = (verifiedOn: string, initial: string) =>
      `${HEADER}\n${account};${serial};cold_water;1;5;3;2019-03-01;${verifiedOn};72;;${initial};;;2019-03-01\n`;
    writeFileSync(file, row('2019-03-01', '00012.000'));
    expect((await ctl('registry', 'import', file)).json).toMatchObject({ imported: 1 });
    await transaction(db, (tx) =>
      new MeterVerificationRepository(db).record(tx, {
        serial,
        verifiedOn: '2026-11-01',
        intervalMonths: 96,
        dueOn: '2034-11-01',
        certificateNo: null,
        recordedBy: 'e2e',
      }),
    );
    const meter = async () =>
      (
        await db.query(
          `SELECT verified_on::text AS verified, verification_due_on::text AS due,
                  initial_t1::float8 AS initial, updated_at FROM meters WHERE serial = $1`,
          [serial],
        )
      )[0];
    const recorded = await meter();

    // The file was exported before the verification was recorded: nothing else differs, so the
    // meter is left alone; then a changed column is still taken, and the newer date still kept.
    expect((await ctl('registry', 'import', file)).json).toEqual({
      imported: 0,
      updated: 0,
      failed: [],
    });
    expect(await meter()).toEqual(recorded);
    writeFileSync(file, row('2019-03-01', '00013.000'));
    expect((await ctl('registry', 'import', file)).json).toMatchObject({ updated: 1 });
    expect(await meter()).toMatchObject({ verified: '2026-11-01', due: '2034-11-01', initial: 13 });

    // A later verification in the file replaces it.
    writeFileSync(file, row('2026-11-15', '00013.000'));
    expect((await ctl('registry', 'import', file)).json).toMatchObject({ updated: 1 });
    expect(await meter()).toMatchObject({ verified: '2026-11-15', due: '2032-11-15' });
  });

  it('refuses a file whose header lacks columns', async () => {
    const file = join(dir, 'bad-header.csv');
    writeFileSync(file, 'account_number;serial\n5001234567;19-1\n');
    await expect(ctl('registry', 'import', file)).rejects.toMatchObject({
      stderr: expect.stringContaining('header lacks column(s): resource'),
    });
  });

  it('refuses an empty file as one without the header columns', async () => {
    const file = join(dir, 'empty.csv');
    writeFileSync(file, '');
    await expect(ctl('charges', 'import', file)).rejects.toMatchObject({
      code: 1,
      stdout: '',
      stderr: expect.stringContaining(
        'error: header lacks column(s): account_number, period, amount_charged',
      ),
    });
  });

  it('refuses a file that cannot be read with one error line, as a missing one', async () => {
    await expect(ctl('charges', 'import', dir)).rejects.toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'error: EISDIR: illegal operation on a directory, read\n',
    });
  });

  it('reports a row with more or fewer fields than the header, and imports the rest', async () => {
    const account = uniqueAccount();
    const charges = join(dir, 'charges-fields.csv');
    writeFileSync(
      charges,
      `account_number;period;amount_charged\n${account};2026-03;1234;56\n${account};2026-04;10.00\n`,
    );
    expect((await ctl('charges', 'import', charges)).json).toEqual({
      imported: 1,
      updated: 0,
      failed: [{ line: 2, error: '4 fields, the header has 3' }],
    });
    expect(
      await db.query(`SELECT period FROM charges WHERE account_number = $1`, [account]),
    ).toEqual([{ period: '2026-04' }]);

    const [cut, whole] = [uniqueSerial('C'), uniqueSerial('W')];
    const registry = join(dir, 'registry-fields.csv');
    writeFileSync(
      registry,
      `${HEADER}\n` +
        `${account};${cut};cold_water;1;5;3;2019-03-01;2019-03-01;72\n` +
        `${account};${whole};cold_water;1;5;3;2019-03-01;2019-03-01;72;;00012.000;;;2019-03-01\n`,
    );
    expect((await ctl('registry', 'import', registry)).json).toEqual({
      imported: 1,
      updated: 0,
      failed: [{ line: 2, error: '9 fields, the header has 14' }],
    });
    expect(
      await db.query(`SELECT serial FROM meters WHERE account_number = $1`, [account]),
    ).toEqual([{ serial: whole }]);
  });

  it('reports where a quote left open started, never dropping the rows it swallowed silently', async () => {
    const [a, b, c] = [uniqueAccount(), uniqueAccount(), uniqueAccount()];
    const header = 'account_number;period;amount_charged\n';
    const toEnd = join(dir, 'quote-to-end.csv');
    writeFileSync(toEnd, `${header}${a};2026-05;"100\n${b};2026-05;200\n${c};2026-05;300\n`);
    expect((await ctl('charges', 'import', toEnd)).json).toEqual({
      imported: 0,
      updated: 0,
      failed: [
        {
          line: 2,
          error:
            'a quote opened on line 2 is never closed, so the rest of the file was read as one row',
        },
      ],
    });

    const closedLater = join(dir, 'quote-closed-later.csv');
    writeFileSync(
      closedLater,
      header +
        `${a};2026-05;1\n` +
        `${a};2026-06;"100\n` +
        `${b};2026-06;200"\n` +
        `${b};2026-07;"300\n` +
        `${c};2026-07;"400"\n` +
        `${c};2026-08;500\n`,
    );
    expect((await ctl('charges', 'import', closedLater)).json).toEqual({
      imported: 2,
      updated: 0,
      failed: [
        {
          line: 3,
          error: 'lines 3 to 4 were read as one row: a quote opened on line 3 is not closed there',
        },
        {
          line: 5,
          error: 'lines 5 to 6 were read as one row: a quote opened on line 5 is not closed there',
        },
      ],
    });
  });

  it.each(['1e3', 'abc', '0'])(
    'refuses kafka topics --partitions %p before asking Kafka anything, naming the option',
    async (value) => {
      await expect(ctl('kafka', 'topics', '--partitions', value)).rejects.toMatchObject({
        code: 1,
        stdout: '',
        stderr: expect.stringContaining(
          `option '--partitions <n>' argument '${value}' is invalid. must be 1 to 1000 partitions`,
        ),
      });
    },
  );

  it.each(['12x', '99999'])(
    'refuses --due-within-days %p before asking Arshin anything, naming the option',
    async (value) => {
      await expect(ctl('verifications', 'sync', '--due-within-days', value)).rejects.toMatchObject({
        code: 1,
        stdout: '',
        stderr: expect.stringContaining(
          `option '--due-within-days <n>' argument '${value}' is invalid. must be 0 to 9999 days`,
        ),
      });
    },
  );

  const ID_RULE = 'must be 1 to 64 letters, digits, ".", "_" or "-"';
  it.each<[string[], string, string]>([
    [
      ['kiosk', 'add', 'k 1'],
      "command-argument value 'k 1' is invalid for argument 'kioskId'. " + ID_RULE,
      'kiosk add',
    ],
    [
      ['terminal', 'add', 't 1', '--allow-any'],
      "command-argument value 't 1' is invalid for argument 'terminalId'. " + ID_RULE,
      'terminal add',
    ],
    [
      ['scanner', 'add', 's 1'],
      "command-argument value 's 1' is invalid for argument 'centreId'. " + ID_RULE,
      'scanner add',
    ],
    [
      ['operator', 'add', 'o 1', '--role', 'admin'],
      "command-argument value 'o 1' is invalid for argument 'login'. " + ID_RULE,
      'operator add',
    ],
    [
      ['resident', 'revoke', 'nobody'],
      "command-argument value 'nobody' is invalid for argument 'email'. must be an e-mail address",
      'resident revoke',
    ],
    [
      ['dlq', 'list', '--topic', 'meter-readings.submitted.v1'],
      "option '--topic <topic>' argument 'meter-readings.submitted.v1' is invalid. must be one of meter-readings.submitted.v1.dlq, partner.mosenergosbyt.readings.v1.dlq",
      'dlq list',
    ],
    [
      ['dlq', 'replay', '--topic', 'meter-readings.submitted.v1.dlq', '--since', 'yesterday'],
      "option '--since <instant>' argument 'yesterday' is invalid. must be an RFC 3339 timestamp with an offset within ±14:00, years 2000 to 2099 (e.g. 2026-12-05T09:00:00+03:00), or a date YYYY-MM-DD for 00:00 Moscow time",
      'dlq replay',
    ],
    [
      ['verifications', 'sync', '--serial', ' 19-1'],
      "option '--serial <serial>' argument ' 19-1' is invalid. must be 1 to 32 printable characters",
      'verifications sync',
    ],
  ])(
    'refuses the malformed %j naming it, with the usage after the error line',
    async (args, error, usage) => {
      await expect(ctl(...args)).rejects.toMatchObject({
        code: 1,
        stdout: '',
        stderr: expect.stringMatching(
          new RegExp(`^${escapeRegExp(`error: ${error}\n\nUsage: ctl ${usage} `)}`),
        ),
      });
    },
  );

  it('refuses verifications sync with both --serial and --due-within-days, rather than ignore one', async () => {
    await expect(
      ctl('verifications', 'sync', '--serial', uniqueSerial(), '--due-within-days', '5'),
    ).rejects.toMatchObject({
      code: 1,
      stdout: '',
      stderr: expect.stringMatching(
        /^error: option '--due-within-days <n>' cannot be used with option '--serial <serial>'\n\nUsage: ctl verifications sync /,
      ),
    });
  });

  it('writes what was typed escaped in the error line of a refused option or command', async () => {
    await expect(
      ctl('operator', 'add', 'x', '--role', 'boss\u001b[2J\u202e'),
    ).rejects.toMatchObject({
      code: 1,
      stdout: '',
      stderr: expect.stringMatching(
        /^error: option '--role <role>' argument 'boss\\u001b\[2J\\u202e' is invalid\. must be one of operator, supervisor, admin\n\nUsage: ctl operator add /,
      ),
    });
    await expect(ctl('kiosk', 'bogus\u009b2J')).rejects.toMatchObject({
      code: 1,
      stdout: '',
      stderr: expect.stringMatching(/^error: unknown command 'bogus\\u009b2J'\n/),
    });
  });

  it('fails with its one error line when Kafka does not answer, without kafkajs retry lines', async () => {
    const unreachable = { ...process.env, KAFKA_BROKERS: '127.0.0.1:1' };
    const replay = ['--topic', 'meter-readings.submitted.v1.dlq', '--since', '2026-12-01'];
    await expect(ctlIn(unreachable, 'dlq', 'replay', ...replay)).rejects.toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'error: Kafka: Connection error: connect ECONNREFUSED 127.0.0.1:1\n',
    });
  });

  it('fails with its one error line when an error escapes the command: stdout closed before the JSON', async () => {
    const child = spawn('npm', ['run', 'ctl', '--', 'keys', 'generate'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = await once(child, 'close');
    expect({ code, stderr }).toEqual({ code: 1, stderr: 'error: write EPIPE\n' });
  });

  it('refuses reminders run for a day after today, deciding no reminder ahead of its day', async () => {
    // Verified on 2024-01-10 for 72 months: due on 2030-01-10, its 60-day reminder on 2029-11-11.
    const serial = uniqueSerial();
    writeFileSync(
      join(dir, 'due-2030.csv'),
      `${HEADER}
${uniqueAccount()};${serial};cold_water;1;5;3;2024-01-10;2024-01-10;72;;00100.000;;;2024-01-10
`,
    );
    expect((await ctl('registry', 'import', join(dir, 'due-2030.csv'))).json).toMatchObject({
      imported: 1,
    });
    await expect(ctl('reminders', 'run', '--date', '2029-11-11')).rejects.toMatchObject({
      code: 1,
      stdout: '',
      stderr: expect.stringContaining(
        "option '--date <YYYY-MM-DD>' argument '2029-11-11' is invalid. must not be after today in Moscow",
      ),
    });
    expect(
      await db.query('SELECT 1 FROM verification_reminders WHERE meter_serial = $1', [serial]),
    ).toEqual([]);
  });

  it('adds an operator whose printed password verifies against the stored hash', async () => {
    const login = `op-${uniqueSerial('x').toLowerCase()}`;
    const { json } = await ctl('operator', 'add', login, '--role', 'supervisor');
    const { password } = json as { login: string; password: string };
    expect(json).toEqual({ login, password: expect.stringMatching(/^[A-Za-z0-9_-]{24}$/) });
    const [row] = await db.query('SELECT password_hash, role FROM operators WHERE login = $1', [
      login,
    ]);
    expect(row.role).toBe('supervisor');
    expect(row.password_hash).not.toContain(password);
    expect(await verifyPassword(password, row.password_hash)).toBe(true);
    expect(await verifyPassword(`${password}x`, row.password_hash)).toBe(false);
  });

  it('adds a login in another case to the operator first written, resetting their password and role', async () => {
    const login = `Ivanov-${uniqueSerial('x')}`;
    const first = (await ctl('operator', 'add', login, '--role', 'operator')).json;
    const { json } = await ctl('operator', 'add', login.toLowerCase(), '--role', 'admin');
    const { password } = json as { login: string; password: string };
    expect(json).toEqual({ login, password: expect.any(String) });
    const rows = await db.query(
      'SELECT login, role, password_hash FROM operators WHERE lower(login) = lower($1)',
      [login],
    );
    expect(rows).toEqual([{ login, role: 'admin', password_hash: expect.any(String) }]);
    expect(await verifyPassword(password, rows[0].password_hash)).toBe(true);
    expect(password).not.toBe((first as { password: string }).password);
  });

  it('writes every change of an operator to the audit log: added, password and role replaced, sessions ended', async () => {
    const login = `Audited-${uniqueSerial('x')}`;
    await ctl('operator', 'add', login, '--role', 'operator');
    await ctl('operator', 'add', login.toLowerCase(), '--role', 'supervisor');
    await ctl('operator', 'revoke', login.toUpperCase());
    const entries = await db.query(
      `SELECT operator_login, operator_role, action, subject, before, after
         FROM audit_log WHERE subject = $1 ORDER BY id`,
      [`operator:${login}`],
    );
    expect(entries).toEqual([
      {
        operator_login: 'ctl',
        operator_role: 'ctl',
        action: 'operator.add',
        subject: `operator:${login}`,
        before: null,
        after: { role: 'operator' },
      },
      {
        operator_login: 'ctl',
        operator_role: 'ctl',
        action: 'operator.add',
        subject: `operator:${login}`,
        before: { role: 'operator' },
        after: { role: 'supervisor', sessionsEnded: true },
      },
      {
        operator_login: 'ctl',
        operator_role: 'ctl',
        action: 'operator.revoke',
        subject: `operator:${login}`,
        before: null,
        after: { sessionsEnded: true },
      },
    ]);
    // Nothing of the password goes to the log.
    expect(JSON.stringify(entries)).not.toMatch(/password|scrypt/i);
  });

  it('refuses to migrate while operator logins differ only in case, naming them, and migrates once one of each is left', async () => {
    const url = new URL(process.env.DATABASE_URL as string);
    url.pathname = `${url.pathname}_logins`;
    await ensureDatabase('', { env: { DATABASE_URL: url.toString() } });
    const before = await new DataSource({
      ...dataSourceOptions(url.toString(), 1),
      migrations: MIGRATIONS.slice(0, MIGRATIONS.indexOf(OperatorLoginsIgnoreCase1765130000000)),
    }).initialize();
    try {
      await before.runMigrations();
      await before.query(
        `INSERT INTO operators (login, password_hash, role)
         SELECT login, 'scrypt$x', 'operator'
           FROM unnest(ARRAY['Petrov', 'sidorov', 'PETROV', 'Sidorov', 'petrov', 'kuznetsov']) login`,
      );
      const elsewhere = { ...process.env, DATABASE_URL: url.toString() };
      // Nothing on stdout, and the error line names the migration that failed.
      await expect(ctlIn(elsewhere, 'db', 'migrate')).rejects.toMatchObject({
        code: 1,
        stdout: '',
        stderr: expect.stringMatching(
          /^error: migration OperatorLoginsIgnoreCase1765130000000 failed: operator logins differ only in case: PETROV, Petrov, petrov; Sidorov, sidorov;.*\n$/,
        ),
      });
      await before.query(`DELETE FROM operators WHERE login IN ('PETROV', 'petrov', 'sidorov')`);
      expect((await ctlIn(elsewhere, 'db', 'migrate')).json).toEqual({
        applied: expect.arrayContaining(['OperatorLoginsIgnoreCase1765130000000']),
      });
      const kuznetsov = `INSERT INTO operators (login, password_hash, role) VALUES ('KUZNETSOV', 'x', 'admin')`;
      await expect(before.query(kuznetsov)).rejects.toThrow('operators_login_lower_key');
      const runner = before.createQueryRunner();
      await new OperatorLoginsIgnoreCase1765130000000()
        .down(runner)
        .finally(() => runner.release());
      await before.query(kuznetsov);
    } finally {
      await before.destroy();
      await dropDatabase(url.toString());
    }
  });
});
