import { pgArray } from '@gw/persistence';
import type { DataSource } from 'typeorm';
import { testDatabase } from '../support/infra';

describe('persistence: array parameters', () => {
  let db: DataSource;

  beforeAll(async () => {
    db = await testDatabase();
  });

  afterAll(async () => {
    await db?.destroy();
  });

  it('come back from PostgreSQL element for element, however hostile the text', async () => {
    const texts = [
      'plain',
      'with "quotes"',
      'back\\slash',
      '\\"',
      '{braces},commas',
      ' spaces ',
      'NULL',
      '',
      'Счётчик №7',
      'line\nbreak\ttab',
      null,
    ];
    const [row] = await db.query(`SELECT $1::text[] AS texts, $2::numeric[]::text[] AS numbers`, [
      pgArray(texts),
      pgArray([0, -1.5, 12345678901234567890n, null]),
    ]);
    expect(row.texts).toEqual(texts);
    expect(row.numbers).toEqual(['0', '-1.5', '12345678901234567890', null]);
  });

  it('take timestamps as the ISO text of their instant', async () => {
    const instants = ['2026-12-05T21:00:00.000Z', '2099-12-31T23:59:59.999Z'];
    const [row] = await db.query(
      `SELECT array(SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') FROM unnest($1::timestamptz[]) t) AS instants`,
      [pgArray(instants.map((i) => new Date(i).toISOString()))],
    );
    expect(row.instants).toEqual(instants);
  });
});
