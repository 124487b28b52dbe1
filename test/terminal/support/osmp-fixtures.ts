import { submissionId } from '@gw/contracts';
import { addMonths, DAY_MS, formatDate, moscowDate, toMoscowIso } from '@gw/domain';
import type { DataSource } from 'typeorm';
import { registryRecord, seedMeters, uniqueAccount, uniqueSerial } from '../../support/factories';

/** A Moscow calendar date `days` from today. */
export function dayFromToday(days: number): string {
  return formatDate(moscowDate(new Date(Date.now() + days * DAY_MS)));
}

/** The date a verification was done for its 72-month interval to end `days` from today. */
function verifiedFor72MonthsEnding(days: number): string {
  return formatDate(addMonths(moscowDate(new Date(Date.now() + days * DAY_MS)), -72));
}

/** `txn_date` of a transaction happening now on a Moscow terminal: YYYYMMDDHHMMSS. */
export function txnDateNow(): string {
  return toMoscowIso(new Date()).replace(/[-T:]/g, '').slice(0, 14);
}

let txnSequence = 0;
/** A `txn_id` no other request of this run uses. */
export function nextTxnId(): string {
  txnSequence += 1;
  return `${Date.now()}${String(txnSequence).padStart(4, '0')}`;
}

export interface SeededAccount {
  account: string;
  /** Cold water, 5+3 digits, 100.000 ten days ago. */
  water: string;
  /** Two-zone electricity, 6+1 digits, T1 4512.3 and T2 1877.0 ten days ago. */
  electricity: string;
  dueSoon: string;
  expired: string;
  decommissioned: string;
}

/** An account with a meter in every verification standing the check shows. */
export async function seedAccount(db: DataSource): Promise<SeededAccount> {
  const account = uniqueAccount();
  const base = {
    account_number: account,
    installed_on: '2015-01-01',
    verified_on: dayFromToday(-400),
    initial_on: dayFromToday(-10),
  };
  const seeded: SeededAccount = {
    account,
    water: uniqueSerial('W'),
    electricity: uniqueSerial('E'),
    dueSoon: uniqueSerial('D'),
    expired: uniqueSerial('X'),
    decommissioned: uniqueSerial('R'),
  };
  await seedMeters(db, [
    registryRecord({ ...base, serial: seeded.water }),
    registryRecord({
      ...base,
      serial: seeded.electricity,
      resource: 'electricity',
      zones: '2',
      integer_digits: '6',
      fraction_digits: '1',
      verification_interval_months: '192',
      initial_t1: '004512.3',
      initial_t2: '001877.0',
    }),
    registryRecord({
      ...base,
      serial: seeded.dueSoon,
      resource: 'hot_water',
      verified_on: verifiedFor72MonthsEnding(10),
    }),
    registryRecord({
      ...base,
      serial: seeded.expired,
      verified_on: verifiedFor72MonthsEnding(-10),
    }),
    registryRecord({ ...base, serial: seeded.decommissioned, decommissioned_on: dayFromToday(-1) }),
  ]);
  return seeded;
}

/** The submission id the gateway gives meter N of a pay (source.ref = "<txn_id>/<N>"). */
export function paySubmissionId(terminalId: string, txnId: string, n: number, serial: string) {
  return submissionId({
    channel: 'payment-terminal',
    sourceId: terminalId,
    sourceRef: `${txnId}/${n}`,
    meterSerial: serial,
  });
}

/** A pay of `seeded`'s water and two-zone electricity readings, comma and dot mixed. */
export function twoMeterPay(seeded: SeededAccount, sum: string, txnId = nextTxnId()) {
  return {
    command: 'pay',
    txn_id: txnId,
    txn_date: txnDateNow(),
    account: seeded.account,
    sum,
    meter1: seeded.water,
    t1_1: '00110,500',
    meter2: seeded.electricity,
    t1_2: '004600.5',
    t2_2: '1900,0',
  };
}

/** The submission ids of `twoMeterPay`'s two readings. */
export function twoMeterPayIds(terminalId: string, seeded: SeededAccount, txnId: string): string[] {
  return [
    paySubmissionId(terminalId, txnId, 1, seeded.water),
    paySubmissionId(terminalId, txnId, 2, seeded.electricity),
  ];
}
