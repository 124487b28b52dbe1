import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import { uniqueAccount } from '../support/factories';
import { testDatabase } from '../support/infra';
import { ctl, ROOT } from './ctl';

const HEADER = 'partner_account;partner_meter;account_number;serial';

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

  it('refuses a file without the cross-reference header', async () => {
    const file = write('wrong.csv', ['account_number;serial', '5001234567;E-1']);
    const result = await ctl('partner-map', 'import', file);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('header lacks column(s): partner_account, partner_meter');
    expect(result.stdout).toBe('');
  });
});
