import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import { uniqueAccount } from '../support/factories';
import { testDatabase } from '../support/infra';

const ROOT = resolve(__dirname, '..', '..');

/** `npm run ctl -- charges import <file>` as an operator runs it: its own process, JSON on stdout. */
function importCharges(file: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) =>
    execFile(
      process.execPath,
      [resolve(ROOT, 'scripts/run-ts.js'), 'apps/ctl/src/main.ts', 'charges', 'import', file],
      { cwd: ROOT, env: process.env },
      (error, stdout, stderr) =>
        done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

describe('ctl charges import', () => {
  let db: DataSource;
  let dir: string;

  const write = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const chargesOf = (accounts: string[]) =>
    db.query(
      `SELECT account_number, period, amount_charged::text AS amount FROM charges
        WHERE account_number = ANY($1::varchar[]) ORDER BY account_number, period`,
      [accounts],
    );

  beforeAll(async () => {
    db = await testDatabase();
    dir = mkdtempSync(join(tmpdir(), 'charges-import-'));
  });

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await db?.destroy();
  });

  it('imports the sample file, and a second time changes nothing', async () => {
    const sample = resolve(ROOT, 'deploy/demo/charges.sample.csv');
    const first = await importCharges(sample);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ imported: 4, updated: 0, failed: [] });
    expect(await chargesOf(['5001234567', '5001234569'])).toEqual([
      { account_number: '5001234567', period: '2026-08', amount: '4321.55' },
      { account_number: '5001234567', period: '2026-09', amount: '4410.02' },
      { account_number: '5001234567', period: '2026-10', amount: '4598.70' },
      { account_number: '5001234569', period: '2026-10', amount: '2877.10' },
    ]);
    expect(JSON.parse((await importCharges(sample)).stdout)).toEqual({
      imported: 0,
      updated: 0,
      failed: [],
    });
  });

  it('updates changed amounts and reports bad lines by number', async () => {
    const [a, b] = [uniqueAccount(), uniqueAccount()];
    const file = write(
      'charges.csv',
      '\ufeffaccount_number;period;amount_charged\n' +
        `${a};2026-09;1000.00\n` +
        `${a};2026-10;1100.5\n` +
        `12345;2026-10;10.00\n` +
        `${b};2026-13;10.00\n` +
        `${b};2026-10;10,005\n` +
        `${b};2026-10;2877,10\n`,
    );
    const first = await importCharges(file);
    expect(JSON.parse(first.stdout)).toEqual({
      imported: 3,
      updated: 0,
      failed: [
        { line: 4, error: 'account_number must be 10 digits' },
        { line: 5, error: 'period must be a month YYYY-MM' },
        {
          line: 6,
          error: 'amount_charged must be an amount in rubles with at most 2 digits after the point',
        },
      ],
    });
    const changed = write(
      'changed.csv',
      'account_number;period;amount_charged\n' +
        `${a};2026-09;1000\n` +
        `${a};2026-10;1200.00\n` +
        `${a};2026-10;1150.00\n`,
    );
    expect(JSON.parse((await importCharges(changed)).stdout)).toEqual({
      imported: 0,
      updated: 1,
      failed: [],
    });
    expect(await chargesOf([a, b])).toEqual([
      { account_number: a, period: '2026-09', amount: '1000.00' },
      { account_number: a, period: '2026-10', amount: '1150.00' },
      { account_number: b, period: '2026-10', amount: '2877.10' },
    ]);
  });

  it('refuses a file without the contract’s columns', async () => {
    const result = await importCharges(
      write('wrong.csv', 'account;period;sum\n5001234567;2026-10;1\n'),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('header lacks column(s): account_number, amount_charged');
    expect(result.stdout).toBe('');
  });
});
