import { type Channel, type SubmissionMessage, submissionId } from '@gw/contracts';
import {
  parseRegistryRecord,
  REGISTRY_COLUMNS,
  type RegistryMeter,
  type RegistryRecord,
} from '@gw/domain';
import { RegistryRepository } from '@gw/persistence';
import type { DataSource } from 'typeorm';
import { claimRunSalt } from './run-salt';

let sequence = 0;
const runSalt = claimRunSalt();

/** A 10-digit account number no other test of this run uses. */
export function uniqueAccount(): string {
  sequence += 1;
  return `9${runSalt}${String(sequence).padStart(5, '0')}`;
}

export function uniqueSerial(prefix = 'T'): string {
  sequence += 1;
  return `${prefix}-${runSalt}-${process.pid % 100000}-${sequence}`;
}

/** Registry rows as the billing system's CSV (contract section 4), for `ctl registry import`. */
export function registryCsv(records: RegistryRecord[]): string {
  return [
    REGISTRY_COLUMNS.join(';'),
    ...records.map((r) => REGISTRY_COLUMNS.map((c) => r[c] ?? '').join(';')),
  ].join('\n');
}

/** A registry row (contract section 4) with sensible defaults: a cold-water meter, 5+3 digits, verified in 2024. */
export function registryRecord(overrides: RegistryRecord = {}): RegistryRecord {
  return {
    account_number: uniqueAccount(),
    serial: uniqueSerial(),
    resource: 'cold_water',
    zones: '1',
    integer_digits: '5',
    fraction_digits: '3',
    installed_on: '2024-01-10',
    verified_on: '2024-01-10',
    verification_interval_months: '72',
    decommissioned_on: '',
    initial_t1: '00100.000',
    initial_t2: '',
    initial_t3: '',
    initial_on: '2026-10-20',
    ...overrides,
  };
}

export async function seedMeters(
  db: DataSource,
  records: RegistryRecord[],
): Promise<RegistryMeter[]> {
  const meters = records.map((r) => {
    const parsed = parseRegistryRecord(r);
    if (!parsed.ok) throw new Error(`bad test registry row: ${parsed.error}`);
    return parsed.value;
  });
  await new RegistryRepository(db).upsertMeters(meters);
  return meters;
}

/**
 * Records Arshin's notice that `serial` is unfit from `on`, as the sync records one: the history
 * gets the unfit record, and the meter's current verification ends the day before.
 */
export async function recordUnfit(db: DataSource, serial: string, on: string): Promise<void> {
  await db.query(
    `INSERT INTO meter_verifications (serial, verified_on, interval_months, due_on, recorded_by, source, vri_id, applicable)
     VALUES ($1, $2::date, NULL, NULL, 'arshin', 'arshin', $3, false)`,
    [serial, on, `unfit-${serial}-${on}`],
  );
  await db.query(
    `UPDATE meters SET verified_on = $2::date, verification_due_on = $2::date - 1 WHERE serial = $1`,
    [serial, on],
  );
}

export interface SubmissionOverrides extends Partial<Omit<SubmissionMessage, 'source'>> {
  source?: { id: string; ref: string };
}

/** A canonical submission; its id is derived like an adapter would, from channel, source and serial. */
export function submission(overrides: SubmissionOverrides = {}): SubmissionMessage {
  sequence += 1;
  const channel: Channel = overrides.channel ?? 'kiosk';
  const source = overrides.source ?? {
    id: 'K-E2E',
    ref: `run-${runSalt}/${process.pid}/${sequence}`,
  };
  const meterSerial = overrides.meterSerial ?? uniqueSerial();
  return {
    schema: 'meter-reading-submitted/1',
    channel,
    source,
    accountNumber: uniqueAccount(),
    meterSerial,
    values: [{ zone: 'T1', value: '00110.000' }],
    readAt: '2026-11-20T10:00:00+03:00',
    receivedAt: '2026-11-20T10:00:05.000+03:00',
    confidence: null,
    ...overrides,
    submissionId:
      overrides.submissionId ??
      submissionId({ channel, sourceId: source.id, sourceRef: source.ref, meterSerial }),
  };
}
