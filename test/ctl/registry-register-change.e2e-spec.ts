import type { OutcomeMessage } from '@gw/contracts';
import { type ReadingDecision, type RegistryRecord, toUnits } from '@gw/domain';
import { ReadingRepository, transaction } from '@gw/persistence';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bearer, ReviewStack } from '../backoffice/review-harness';
import { runCtl } from '../support/ctl';
import { registryCsv, registryRecord, submission } from '../support/factories';
import { eventually, lockWaiters } from '../support/infra';

interface ImportReport {
  imported: number;
  updated: number;
  failed: { line: number; error: string }[];
}

/**
 * `ctl registry import` of a row that changes a meter's register (integer or fraction digits):
 * refused while the meter's last accepted reading does not fit the new register, with the meter
 * left as it was; applied as before when it fits, or when the meter has none. A change of tariff
 * zones is applied.
 */
describe('ctl registry import: a changed register against the last accepted reading', () => {
  let stack: ReviewStack;
  const dir = mkdtempSync(join(tmpdir(), 'ctl-register-'));
  let files = 0;

  beforeAll(async () => {
    stack = await ReviewStack.start();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** The registry rows as a file (line 1 the header, then a line each), imported by `ctl`. */
  const importRows = async (records: RegistryRecord[]): Promise<ImportReport> => {
    files += 1;
    const file = join(dir, `registry-${files}.csv`);
    writeFileSync(file, registryCsv(records));
    return runCtl<ImportReport>('registry', 'import', file);
  };

  /** The meter's row as stored, every column. */
  const meterRow = async (serial: string | undefined) =>
    (await stack.db.query(`SELECT to_jsonb(m) AS row FROM meters m WHERE serial = $1`, [serial]))[0]
      .row;

  /** Publishes a reading of the row's meter, taken on `day` at 10:00 in Moscow; its outcome. */
  const decide = async (
    row: RegistryRecord,
    day: string,
    values: { zone: string; value: string }[],
  ): Promise<OutcomeMessage> => {
    const s = submission({
      accountNumber: row.account_number,
      meterSerial: row.serial,
      values,
      readAt: `${day}T10:00:00+03:00`,
      receivedAt: `${day}T10:00:05.000+03:00`,
    });
    await stack.publish([s]);
    const [outcome] = await stack.outcomesOf(s.submissionId, 1);
    return outcome;
  };
  const t1 = (value: string) => [{ zone: 'T1', value }];

  it('refuses integer_digits 6 -> 5 under 123410.000: the meter, its verifications and the next reading stay as they were', async () => {
    const row = registryRecord({ integer_digits: '6', initial_t1: '123400.000' });
    expect(await importRows([row])).toEqual({ imported: 1, updated: 0, failed: [] });
    expect(await decide(row, '2026-11-01', t1('123410.000'))).toMatchObject({
      status: 'accepted',
    });
    const before = await meterRow(row.serial);
    const added = registryRecord();

    // The refused row also brings a new verification; the file's other rows are still imported.
    const narrowed = { ...row, integer_digits: '5', initial_t1: '', initial_on: '' };
    expect(
      await importRows([
        { ...narrowed, verified_on: '2026-11-15' },
        { ...added, account_number: '12345' },
        added,
      ]),
    ).toEqual({
      imported: 1,
      updated: 0,
      failed: [
        {
          line: 2,
          error: "integer_digits 5 does not fit the meter's last accepted reading 123410.000",
        },
        { line: 3, error: 'account_number must be 10 digits' },
      ],
    });
    expect(await meterRow(row.serial)).toEqual(before);
    expect(
      await stack.db.query(
        `SELECT verified_on::text AS verified FROM meter_verifications WHERE serial = $1`,
        [row.serial],
      ),
    ).toEqual([{ verified: '2024-01-10' }]);
    expect(await meterRow(added.serial)).toMatchObject({ integer_digits: 5 });

    // Still 6 digits: 20000.000 would be a wrap of 896590 in 19 days, not a negative one.
    expect(await decide(row, '2026-11-20', t1('020000.000'))).toMatchObject({
      status: 'rejected',
      reasons: ['VALUE_DECREASED'],
      consumption: [],
    });
  });

  it('refuses fraction_digits 3 -> 1 under 100.456: operators still see 100.456, and consumption is counted exactly', async () => {
    const row = registryRecord({ initial_t1: '00100.000' });
    await importRows([row]);
    expect(await decide(row, '2026-11-01', t1('00100.456'))).toMatchObject({
      status: 'accepted',
    });
    const before = await meterRow(row.serial);

    expect(await importRows([{ ...row, fraction_digits: '1', initial_t1: '00100.0' }])).toEqual({
      imported: 0,
      updated: 0,
      failed: [
        {
          line: 2,
          error: "fraction_digits 1 does not fit the meter's last accepted reading 100.456",
        },
      ],
    });
    expect(await meterRow(row.serial)).toEqual(before);
    const operator = await stack.operator('operator');
    const shown = await stack
      .http()
      .get(`/v1/accounts/${row.account_number}/meters`)
      .set(bearer(operator.token))
      .expect(200);
    expect(shown.body.meters[0].lastAccepted.values).toEqual([{ zone: 'T1', value: '100.456' }]);
    expect(await decide(row, '2026-11-20', t1('00105.5'))).toMatchObject({
      status: 'accepted',
      consumption: [{ zone: 'T1', value: '5.044' }],
    });
  });

  it('applies a change of tariff zones: the first reading with the new zones starts their count', async () => {
    const row = registryRecord({
      resource: 'electricity',
      integer_digits: '5',
      fraction_digits: '1',
      initial_t1: '01000.0',
    });
    await importRows([row]);
    expect(await decide(row, '2026-11-01', t1('01100.0'))).toMatchObject({ status: 'accepted' });

    // The resident moved to a day/night tariff: the meter now shows two zones.
    expect(await importRows([{ ...row, zones: '2', initial_t1: '', initial_on: '' }])).toEqual({
      imported: 0,
      updated: 1,
      failed: [],
    });
    expect(await meterRow(row.serial)).toMatchObject({ zones: 2 });
    const first = await decide(row, '2026-11-20', [
      { zone: 'T1', value: '00810.0' },
      { zone: 'T2', value: '00300.0' },
    ]);
    expect(first).toMatchObject({ status: 'accepted', reasons: [], consumption: [] });
    const next = await decide(row, '2026-11-22', [
      { zone: 'T1', value: '00815.0' },
      { zone: 'T2', value: '00302.5' },
    ]);
    expect(next).toMatchObject({
      status: 'accepted',
      consumption: [
        { zone: 'T1', value: '5.0' },
        { zone: 'T2', value: '2.5' },
      ],
    });

    // Back to a single rate: fewer zones start their count anew too.
    expect(await importRows([{ ...row, zones: '1', initial_t1: '', initial_on: '' }])).toEqual({
      imported: 0,
      updated: 1,
      failed: [],
    });
    expect(await decide(row, '2026-11-24', t1('00020.0'))).toMatchObject({
      status: 'accepted',
      reasons: [],
      consumption: [],
    });
    expect(await decide(row, '2026-11-25', t1('00024.5'))).toMatchObject({
      status: 'accepted',
      consumption: [{ zone: 'T1', value: '4.5' }],
    });
  });

  it('applies a change the last accepted reading fits: more integer digits, fraction digits it does not need', async () => {
    const [wider, fewer] = [registryRecord(), registryRecord()];
    await importRows([wider, fewer]);
    expect(await decide(wider, '2026-11-01', t1('00100.456'))).toMatchObject({
      status: 'accepted',
    });
    expect(await decide(fewer, '2026-11-01', t1('00100.400'))).toMatchObject({
      status: 'accepted',
    });

    expect(
      await importRows([
        { ...wider, integer_digits: '6', initial_t1: '000100.000' },
        { ...fewer, fraction_digits: '1', initial_t1: '00100.0' },
      ]),
    ).toEqual({ imported: 0, updated: 2, failed: [] });
    expect(await meterRow(wider.serial)).toMatchObject({ integer_digits: 6, fraction_digits: 3 });
    expect(await meterRow(fewer.serial)).toMatchObject({ integer_digits: 5, fraction_digits: 1 });
    // Each meter's next reading is decided on its new register.
    expect(await decide(wider, '2026-11-20', t1('000101.000'))).toMatchObject({
      status: 'accepted',
      consumption: [{ zone: 'T1', value: '0.544' }],
    });
    expect(await decide(fewer, '2026-11-20', t1('00105.5'))).toMatchObject({
      status: 'accepted',
      consumption: [{ zone: 'T1', value: '5.1' }],
    });
  });

  it('applies any change to a meter without accepted readings, a rejected one notwithstanding', async () => {
    const row = registryRecord({
      resource: 'electricity',
      integer_digits: '6',
      fraction_digits: '1',
      initial_t1: '123400.0',
    });
    await importRows([row]);
    const twoZones = [
      { zone: 'T1', value: '10010.0' },
      { zone: 'T2', value: '00505.0' },
    ];
    expect(await decide(row, '2026-11-01', twoZones)).toMatchObject({
      status: 'rejected',
      reasons: ['ZONES_MISMATCH'],
    });

    expect(
      await importRows([
        {
          ...row,
          zones: '2',
          integer_digits: '5',
          initial_t1: '10000.0',
          initial_t2: '00500.0',
          initial_on: '2026-11-05',
        },
      ]),
    ).toEqual({ imported: 0, updated: 1, failed: [] });
    expect(await meterRow(row.serial)).toMatchObject({ zones: 2, integer_digits: 5 });
    expect(await decide(row, '2026-11-20', twoZones)).toMatchObject({
      status: 'accepted',
      consumption: [
        { zone: 'T1', value: '10.0' },
        { zone: 'T2', value: '5.0' },
      ],
    });
  });

  it('checks the reading a processor batch stored while the import waited for the meter', async () => {
    const row = registryRecord({ integer_digits: '6', initial_t1: '012300.000' });
    await importRows([row]);
    expect(await decide(row, '2026-11-01', t1('012310.000'))).toMatchObject({
      status: 'accepted',
    });
    const before = await meterRow(row.serial);

    // A processor batch holds the meter while the import, which 12310.000 alone allows, reaches
    // it; the batch then stores 123410.000 (decided on 6 digits) and commits.
    const readings = new ReadingRepository(stack.db);
    let imported: Promise<ImportReport> | undefined;
    await transaction(stack.db, async (tx) => {
      await readings.lockMeters(tx, [row.serial as string]);
      imported = importRows([
        { ...row, integer_digits: '5', initial_t1: '12300.000', initial_on: '2026-10-20' },
      ]);
      await eventually(
        () => lockWaiters(stack.db, '%INSERT INTO meters AS m%'),
        (waiting) => waiting === 1,
      );
      const message = submission({
        accountNumber: row.account_number,
        meterSerial: row.serial,
        values: t1('123410.000'),
        readAt: '2026-11-10T10:00:00+03:00',
        receivedAt: '2026-11-10T10:00:05.000+03:00',
      });
      await readings.insertDecisions(tx, [
        {
          message,
          decision: acceptedDecision(message.values[0].value),
          decidedAt: new Date(),
          partition: 0,
          offset: '0',
          traceId: null,
        },
      ]);
    });

    expect(await imported).toEqual({
      imported: 0,
      updated: 0,
      failed: [
        {
          line: 2,
          error: "integer_digits 5 does not fit the meter's last accepted reading 123410.000",
        },
      ],
    });
    expect(await meterRow(row.serial)).toEqual({
      ...before,
      accepted_version: before.accepted_version + 1,
    });
  });
});

/** An accepted decision of one T1 value, as the processor stores one (consumption aside). */
function acceptedDecision(value: string): ReadingDecision {
  return {
    status: 'accepted',
    reasons: [],
    warnings: [],
    billingPeriod: '2026-11',
    values: { T1: toUnits(value) as bigint },
    consumption: [],
    consumptionUnits: null,
    days: null,
  };
}
