import type { OutcomeMessage } from '@gw/contracts';
import type { RegistryRecord } from '@gw/domain';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReviewStack } from '../backoffice/review-harness';
import { runCtl } from '../support/ctl';
import { registryCsv, registryRecord, submission } from '../support/factories';

/**
 * `ctl registry import` of a row that corrects the interval of the meter's verification, its date
 * unchanged: the verification history, by which readings are judged, takes the correction as the
 * meter does.
 */
describe('ctl registry import: a corrected verification interval', () => {
  let stack: ReviewStack;
  const dir = mkdtempSync(join(tmpdir(), 'ctl-interval-'));
  let files = 0;

  beforeAll(async () => {
    stack = await ReviewStack.start();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** The registry rows as a file, imported by `ctl`. */
  const importRows = async (records: RegistryRecord[]) => {
    files += 1;
    const file = join(dir, `registry-${files}.csv`);
    writeFileSync(file, registryCsv(records));
    return runCtl('registry', 'import', file);
  };

  /** Publishes a reading of the row's meter, taken on `day` at 10:00 in Moscow; its outcome. */
  const decide = async (
    row: RegistryRecord,
    day: string,
    value: string,
  ): Promise<OutcomeMessage> => {
    const s = submission({
      accountNumber: row.account_number,
      meterSerial: row.serial,
      values: [{ zone: 'T1', value }],
      readAt: `${day}T10:00:00+03:00`,
      receivedAt: `${day}T10:00:05.000+03:00`,
    });
    await stack.publish([s]);
    const [outcome] = await stack.outcomesOf(s.submissionId, 1);
    return outcome;
  };

  it('judges the next reading by the corrected interval: 96 months corrected to 72 expired the verification in January', async () => {
    const row = registryRecord({
      installed_on: '2020-01-10',
      verified_on: '2020-01-10',
      verification_interval_months: '96',
    });
    await importRows([row]);
    expect(await decide(row, '2026-11-20', '00101.000')).toMatchObject({ status: 'accepted' });

    expect(await importRows([{ ...row, verification_interval_months: '72' }])).toEqual({
      imported: 0,
      updated: 1,
      failed: [],
    });
    expect(
      await stack.db.query(
        `SELECT verified_on::text, interval_months, due_on::text FROM meter_verifications WHERE serial = $1`,
        [row.serial],
      ),
    ).toEqual([{ verified_on: '2020-01-10', interval_months: 72, due_on: '2026-01-10' }]);
    expect(await decide(row, '2026-11-21', '00102.000')).toMatchObject({
      status: 'rejected',
      reasons: ['VERIFICATION_EXPIRED'],
    });
  });
});
