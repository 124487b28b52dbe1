import { listedReading, type RecordedReading } from '@gw/domain';

/** A reading as listed to operators: with the account it was submitted for, which may not be the meter's. */
export function meterReadingView(reading: RecordedReading) {
  return { ...listedReading(reading), accountNumber: reading.accountNumber };
}
