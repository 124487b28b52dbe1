import { REGISTRY_COLUMNS, type RegistryRecord } from '@gw/domain';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { runCtl } from '../support/ctl';
import { registryCsv, registryRecord } from '../support/factories';
import { testDatabase } from '../support/infra';

/**
 * `ctl registry import` and the optional last column `type_number` (contract sections 4 and 8): a
 * file without the column says nothing of type numbers, so the stored ones stay; a file with it
 * sets each row's, an empty value clearing it.
 */
describe('ctl registry import: the optional type_number column', () => {
  let db: DataSource;
  const dir = mkdtempSync(join(tmpdir(), 'ctl-type-number-'));
  let files = 0;

  beforeAll(async () => {
    db = await testDatabase();
  });
  afterAll(async () => {
    await db?.destroy();
  });

  /** Imports the text as a registry file. */
  const importFile = (text: string) => {
    files += 1;
    const file = join(dir, `registry-${files}.csv`);
    writeFileSync(file, text);
    return runCtl('registry', 'import', file);
  };
  /** The rows as a file with the `type_number` column, each row with its type number. */
  const typedCsv = (rows: [RegistryRecord, string][]) =>
    [
      [...REGISTRY_COLUMNS, 'type_number'].join(';'),
      ...rows.map(([r, typeNumber]) =>
        [...REGISTRY_COLUMNS.map((c) => r[c] ?? ''), typeNumber].join(';'),
      ),
    ].join('\n');
  /** The rows' stored type numbers, in the order given. */
  const typeNumbers = async (...rows: RegistryRecord[]) => {
    const stored: { serial: string; type_number: string | null }[] = await db.query(
      `SELECT serial, type_number FROM meters WHERE serial = ANY($1::varchar[])`,
      [rows.map((r) => r.serial)],
    );
    return rows.map((r) => stored.find((m) => m.serial === r.serial)?.type_number);
  };

  it('keeps the stored type numbers through a file without the column, and counts an unchanged row as unchanged', async () => {
    const [typed, other] = [registryRecord(), registryRecord()];
    expect(
      await importFile(
        typedCsv([
          [typed, '32636-06'],
          [other, '40000-08'],
        ]),
      ),
    ).toEqual({
      imported: 2,
      updated: 0,
      failed: [],
    });

    expect(
      await importFile(registryCsv([typed, { ...other, verification_interval_months: '96' }])),
    ).toEqual({
      imported: 0,
      updated: 1,
      failed: [],
    });
    expect(await typeNumbers(typed, other)).toEqual(['32636-06', '40000-08']);
  });

  it('sets and clears type numbers through a file with the column, an empty value clearing it', async () => {
    const [cleared, changed, added] = [registryRecord(), registryRecord(), registryRecord()];
    await importFile(
      typedCsv([
        [cleared, '32636-06'],
        [changed, '32636-06'],
      ]),
    );

    expect(
      await importFile(
        typedCsv([
          [cleared, ''],
          [changed, '40000-08'],
          [added, ''],
        ]),
      ),
    ).toEqual({ imported: 1, updated: 2, failed: [] });
    expect(await typeNumbers(cleared, changed, added)).toEqual([null, '40000-08', null]);
  });
});
