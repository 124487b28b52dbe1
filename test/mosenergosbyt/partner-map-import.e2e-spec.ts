import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import { uniqueAccount } from '../support/factories';
import { eventually, testDatabase } from '../support/infra';
import { ctl, ROOT } from './ctl';

const HEADER = 'partner_account;partner_meter;account_number;serial';

/** More rows than `ctl` writes to the database at once (2,000). */
const ROWS_PAST_ONE_CHUNK = 2500;

describe('ctl partner-map import', () => {
  let db: DataSource;
  let dir: string;

  const write = (name: string, lines: string[]) => {
    const file = join(dir, name);
    writeFileSync(file, `${lines.join('\n')}\n`);
    return file;
  };
  const mappingsOf = (partnerAccounts: string[]) =>
    db.query(
      `SELECT partner_account, partner_meter, account_number, serial FROM partner_meters
        WHERE partner_account = ANY($1::varchar[]) ORDER BY partner_account, partner_meter`,
      [partnerAccounts],
    );

  const importOf = async (file: string) => {
    const result = await ctl('partner-map', 'import', file);
    expect(result).toMatchObject({ code: 0 });
    return JSON.parse(result.stdout);
  };
  const updatedAtOf = async (partnerAccount: string, partnerMeter: string) => {
    const [row]: { updated_at: Date }[] = await db.query(
      `SELECT updated_at FROM partner_meters WHERE partner_account = $1 AND partner_meter = $2`,
      [partnerAccount, partnerMeter],
    );
    return row.updated_at.toISOString();
  };
  /** Rows of pairs `${prefix}-f0`, `${prefix}-f1`, … of meters `${prefix}-F0`, …. */
  const fillers = (prefix: string, account: string) =>
    Array.from(
      { length: ROWS_PAST_ONE_CHUNK },
      (_, i) => `${prefix}-f${i};M;${account};${prefix}-F${i}`,
    );
  const fillersWritten = async (prefix: string) => {
    const [{ count }]: { count: number }[] = await db.query(
      `SELECT count(*)::int AS count FROM partner_meters WHERE partner_account LIKE $1`,
      [`${prefix}-f%`],
    );
    return count;
  };

  beforeAll(async () => {
    db = await testDatabase();
    dir = mkdtempSync(join(tmpdir(), 'partner-map-import-'));
  });

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await db?.destroy();
  });

  it('imports the sample file once, and a second time changes nothing', async () => {
    const sample = resolve(ROOT, 'deploy/demo/partner-map.sample.csv');
    const first = await ctl('partner-map', 'import', sample);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ imported: 2, updated: 0, failed: [] });
    expect(await mappingsOf(['1234567890', '1234567891'])).toEqual([
      {
        partner_account: '1234567890',
        partner_meter: '011234567',
        account_number: '5001234567',
        serial: 'E-0077123',
      },
      {
        partner_account: '1234567891',
        partner_meter: '011299001',
        account_number: '5001234569',
        serial: 'E-1130045',
      },
    ]);
    const again = await ctl('partner-map', 'import', sample);
    expect(JSON.parse(again.stdout)).toEqual({ imported: 0, updated: 0, failed: [] });
  });

  it('updates re-pointed pairs, moves a serial to its new pair and reports bad lines', async () => {
    const [a, b, c] = [uniqueAccount(), uniqueAccount(), uniqueAccount()];
    const [account, other] = [uniqueAccount(), uniqueAccount()];
    const initial = write('initial.csv', [
      HEADER,
      `P${a};M1;${account};S-${a}-1`,
      `P${b};M1;${account};S-${a}-2`,
    ]);
    expect(JSON.parse((await ctl('partner-map', 'import', initial)).stdout)).toEqual({
      imported: 2,
      updated: 0,
      failed: [],
    });

    const changed = write('changed.csv', [
      `\ufeff${HEADER}`,
      // The first pair now points at another account's meter.
      `P${a};M1;${other};S-${a}-3`,
      `P${c};M1;${account};S-${a}-2`,
      `P${c};M 2;${account};S-${a}-4`,
      `P${c};M3;50012345;S-${a}-5`,
      `P${c};M4;${account};`,
      `P${c};M5;${account}`,
    ]);
    const result = await ctl('partner-map', 'import', changed);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      imported: 1,
      updated: 1,
      failed: [
        { line: 4, error: 'partner_meter must be 1 to 32 printable characters, no spaces' },
        { line: 5, error: 'account_number must be 10 digits' },
        { line: 6, error: 'serial must be 1 to 32 printable characters' },
        { line: 7, error: '3 fields, the header has 4' },
      ],
    });
    // Serial S-…-2 moved from pair P{b}/M1 to P{c}/M1: a meter has one partner pair.
    expect(await mappingsOf([`P${a}`, `P${b}`, `P${c}`])).toEqual([
      { partner_account: `P${a}`, partner_meter: 'M1', account_number: other, serial: `S-${a}-3` },
      {
        partner_account: `P${c}`,
        partner_meter: 'M1',
        account_number: account,
        serial: `S-${a}-2`,
      },
    ]);
  });

  it('lets a row lose to a later one for its pair or serial, even one that loses in turn', async () => {
    const [a, account] = [uniqueAccount(), uniqueAccount()];
    await importOf(write('before.csv', [HEADER, `P${a};M1;${account};S-${a}-1`]));
    // Applied top to bottom: the second row takes serial 1 from P{a}/M1, the third moves
    // P{a}/M2 on to serial 2.
    const file = write('moved-twice.csv', [
      HEADER,
      `P${a};M2;${account};S-${a}-1`,
      `P${a};M2;${account};S-${a}-2`,
    ]);
    expect(await importOf(file)).toEqual({ imported: 1, updated: 0, failed: [] });
    expect(await mappingsOf([`P${a}`])).toEqual([
      {
        partner_account: `P${a}`,
        partner_meter: 'M2',
        account_number: account,
        serial: `S-${a}-2`,
      },
    ]);
    expect(await importOf(file)).toEqual({ imported: 0, updated: 0, failed: [] });
  });

  it('counts a pair listed in two write chunks once, against the table before the import', async () => {
    const [a, account] = [uniqueAccount(), uniqueAccount()];
    const file = write('repeated.csv', [
      HEADER,
      `P${a};M;${account};S-${a}-1`,
      ...fillers(`P${a}`, account),
      `P${a};M;${account};S-${a}-2`,
    ]);
    expect(await importOf(file)).toEqual({
      imported: ROWS_PAST_ONE_CHUNK + 1,
      updated: 0,
      failed: [],
    });
    expect(await mappingsOf([`P${a}`])).toEqual([
      { partner_account: `P${a}`, partner_meter: 'M', account_number: account, serial: `S-${a}-2` },
    ]);
    const updatedAt = await updatedAtOf(`P${a}`, 'M');
    expect(await importOf(file)).toEqual({ imported: 0, updated: 0, failed: [] });
    expect(await updatedAtOf(`P${a}`, 'M')).toBe(updatedAt);
  });

  it('shows nothing of a file before it is all written, and a killed import leaves the table as it was', async () => {
    const [a, account] = [uniqueAccount(), uniqueAccount()];
    await importOf(
      write('current.csv', [
        HEADER,
        `P${a};M;${account};S-${a}-2`,
        `P${a};LATE;${account};S-${a}-3`,
      ]),
    );
    const updatedAt = await updatedAtOf(`P${a}`, 'M');
    // P{a}/M points at serial 1 for a while and back at serial 2 by the end; P{a}/LATE, past the
    // first chunk, moves to serial 4.
    const file = write('flip.csv', [
      HEADER,
      `P${a};M;${account};S-${a}-1`,
      ...fillers(`P${a}`, account),
      `P${a};LATE;${account};S-${a}-4`,
      `P${a};M;${account};S-${a}-2`,
    ]);
    const current = [
      {
        partner_account: `P${a}`,
        partner_meter: 'LATE',
        account_number: account,
        serial: `S-${a}-3`,
      },
      { partner_account: `P${a}`, partner_meter: 'M', account_number: account, serial: `S-${a}-2` },
    ];

    // Holding P{a}/LATE stops the import where it writes that pair.
    const holder = db.createQueryRunner();
    await holder.startTransaction();
    let blocked: number | undefined;
    try {
      await holder.query(
        `SELECT FROM partner_meters WHERE partner_account = $1 AND partner_meter = 'LATE' FOR UPDATE`,
        [`P${a}`],
      );
      const [{ pid: holderPid }]: { pid: number }[] = await holder.query(
        `SELECT pg_backend_pid() AS pid`,
      );
      const child = spawn(
        process.execPath,
        [resolve(ROOT, 'scripts/run-ts.js'), 'apps/ctl/src/main.ts', 'partner-map', 'import', file],
        { cwd: ROOT, env: { ...process.env, DATABASE_LOCK_TIMEOUT_MS: '120000' }, stdio: 'ignore' },
      );
      const exited = once(child, 'exit');
      const [waiting]: { pid: number }[] = await eventually(
        () =>
          db.query(`SELECT pid FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))`, [
            holderPid,
          ]),
        (rows: unknown[]) => rows.length > 0,
        60000,
      );
      blocked = waiting.pid;
      child.kill('SIGKILL');
      await exited;
      // The killed import's session still waits for the lock, its writes not committed.
      expect({
        mappings: await mappingsOf([`P${a}`]),
        fillers: await fillersWritten(`P${a}`),
      }).toEqual({ mappings: current, fillers: 0 });
    } finally {
      await holder.rollbackTransaction();
      await holder.release();
    }
    // The killed import's session ends once it goes on past the lock and finds no client.
    await eventually(
      () => db.query(`SELECT FROM pg_stat_activity WHERE pid = $1`, [blocked]),
      (rows: unknown[]) => rows.length === 0,
    );
    expect({
      mappings: await mappingsOf([`P${a}`]),
      fillers: await fillersWritten(`P${a}`),
    }).toEqual({ mappings: current, fillers: 0 });

    expect(await importOf(file)).toEqual({
      imported: ROWS_PAST_ONE_CHUNK,
      updated: 1,
      failed: [],
    });
    expect(await mappingsOf([`P${a}`])).toEqual([
      {
        partner_account: `P${a}`,
        partner_meter: 'LATE',
        account_number: account,
        serial: `S-${a}-4`,
      },
      { partner_account: `P${a}`, partner_meter: 'M', account_number: account, serial: `S-${a}-2` },
    ]);
    expect(await updatedAtOf(`P${a}`, 'M')).toBe(updatedAt);
  });

  it('refuses a file without the cross-reference header', async () => {
    const file = write('wrong.csv', ['account_number;serial', '5001234567;E-1']);
    const result = await ctl('partner-map', 'import', file);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('header lacks column(s): partner_account, partner_meter');
    expect(result.stdout).toBe('');
  });
});
