import { randomUUID } from 'node:crypto';
import type { PartnerReadingMessage } from '@gw/contracts';
import {
  moscowDate,
  moscowMidnight,
  type PartnerMapping,
  type RegistryRecord,
  toMoscowIso,
} from '@gw/domain';
import { PartnerMapImportRepository } from '../../apps/ctl/src/persistence/partner-map-import.repository';
import type { DataSource } from 'typeorm';
import { registryRecord, uniqueAccount } from '../support/factories';

const pad = (n: number) => String(n).padStart(2, '0');

/** The Moscow calendar day `daysAgo` days before today, as `YYYY-MM-DD`. */
export function moscowDay(daysAgo: number): string {
  const { year, month, day } = moscowDate(new Date(Date.now() - daysAgo * 86_400_000));
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** `YYYY-MM-DD` as the partner writes it. */
export function partnerDate(isoDay: string): string {
  const [year, month, day] = isoDay.split('-');
  return `${day}.${month}.${year}`;
}

/** An instant on a Moscow day, e.g. `moscowAt(moscowDay(1), 10, 15)`. */
export function moscowAt(isoDay: string, hour: number, minute = 0): string {
  return toMoscowIso(new Date(moscowMidnight(isoDay).getTime() + (hour * 60 + minute) * 60_000));
}

/** A two-zone electricity meter, 6 + 1 digits, its initial values read 30 days ago. */
export function electricityRecord(overrides: RegistryRecord = {}): RegistryRecord {
  return registryRecord({
    resource: 'electricity',
    zones: '2',
    integer_digits: '6',
    fraction_digits: '1',
    verification_interval_months: '192',
    initial_t1: '004512.3',
    initial_t2: '001877.0',
    initial_on: moscowDay(30),
    ...overrides,
  });
}

/** Partner ids no other test of this run uses. */
export function partnerIds(): { partnerAccount: string; partnerMeter: string } {
  return { partnerAccount: `MES${uniqueAccount()}`, partnerMeter: `0${uniqueAccount()}` };
}

/** A partner message (contract section 7.5) read yesterday, with a msgId of its own. */
export function partnerMessage(
  ids: { partnerAccount: string; partnerMeter: string },
  overrides: Partial<PartnerReadingMessage> = {},
): PartnerReadingMessage {
  return {
    // Unique across suites and runs: tests find a message's reading by its msgId.
    msgId: `MES-E2E-${randomUUID()}`,
    lsMes: ids.partnerAccount,
    counterNo: ids.partnerMeter,
    t1: '4601,2',
    t2: '1911,4',
    t3: null,
    readDate: partnerDate(moscowDay(1)),
    src: 'LK_MES',
    ...overrides,
  };
}

export async function seedPartnerMap(db: DataSource, rows: PartnerMapping[]): Promise<void> {
  // As `ctl partner-map import` writes a file of these rows, in their order.
  await new PartnerMapImportRepository(db).importMappings((stage) =>
    stage(
      rows,
      rows.map((_, i) => i + 1),
    ),
  );
}
