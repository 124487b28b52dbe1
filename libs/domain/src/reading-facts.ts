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
  /** Per loaded account, the serials of its water meters in the registry (the swapped-water rule). */
  waterMeters: ReadonlyMap<string, readonly string[]>;
}

/**
 * The facts `decideReading` decides a reading of `meterSerial` on `accountNumber` against. A
 * meter's state is its last accepted reading (or, before any, the registry's initial values) and
 * its recent consumption, unless `carried` holds the state earlier readings of the same run left.
 * The other meters are the other water meters of the meter's account, each with its state.
 */
export function readingFacts(
  loaded: LoadedFacts,
  accountNumber: string,
  meterSerial: string,
  carried?: ReadonlyMap<string, MeterState>,
): ReadingFacts {
  const meter = loaded.meters.get(meterSerial) ?? null;
  const stateOf = (serial: string, known: LoadedMeter | null): MeterState =>
    carried?.get(serial) ?? {
      last:
        loaded.lastAccepted.get(serial) ??
        (known ? initialReading(known.initialOn, known.initialValues) : null),
      history: loaded.history.get(serial) ?? [],
    };
  const otherMeters = (meter ? (loaded.waterMeters.get(meter.accountNumber) ?? []) : []).flatMap(
    (serial) => {
      const other = serial === meterSerial ? undefined : loaded.meters.get(serial);
      return other ? [{ meter: other, state: stateOf(serial, other) }] : [];
    },
  );
  return {
    accountKnown: loaded.accounts.has(accountNumber),
    meter,
    state: stateOf(meterSerial, meter),
    otherMeters,
  };
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
