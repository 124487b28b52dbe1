import type { SubmissionMessage } from '@gw/contracts';
import type { IsoDate } from './moscow-time';
import type { PeriodUsage } from './plausibility';
import {
  type AcceptedReading,
  initialReading,
  type MeterFacts,
  type MeterState,
  type ReadingFacts,
  type ReadingInput,
  type ZoneUnits,
} from './reading-decision';

/** A meter as the registry holds it: its facts, and the initial values it was installed with. */
export interface LoadedMeter extends MeterFacts {
  initialOn: IsoDate | null;
  initialValues: ZoneUnits;
}

/**
 * What was loaded to decide some readings (the processor's batch, the back office's one meter),
 * keyed by account number and meter serial. A meter or account missing from it is unknown.
 */
export interface LoadedFacts {
  accounts: ReadonlySet<string>;
  meters: ReadonlyMap<string, LoadedMeter>;
  lastAccepted: ReadonlyMap<string, AcceptedReading>;
  history: ReadonlyMap<string, PeriodUsage[]>;
}

/**
 * The facts `decideReading` decides a reading of `meterSerial` on `accountNumber` against. The
 * meter's state is its last accepted reading (or, before any, the registry's initial values) and
 * its recent consumption, unless `carried` gives the state earlier readings of the same run left.
 */
export function readingFacts(
  loaded: LoadedFacts,
  accountNumber: string,
  meterSerial: string,
  carried?: MeterState,
): ReadingFacts {
  const meter = loaded.meters.get(meterSerial) ?? null;
  const state = carried ?? {
    last:
      loaded.lastAccepted.get(meterSerial) ??
      (meter ? initialReading(meter.initialOn, meter.initialValues) : null),
    history: loaded.history.get(meterSerial) ?? [],
  };
  return { accountKnown: loaded.accounts.has(accountNumber), meter, state };
}

/** `decideReading`'s input for a canonical submission. */
export function submissionInput(message: SubmissionMessage): ReadingInput {
  return {
    accountNumber: message.accountNumber,
    values: message.values,
    readAt: new Date(message.readAt),
    receivedAt: new Date(message.receivedAt),
    confidence: message.confidence,
  };
}
