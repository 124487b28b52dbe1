import { Inject, Injectable } from '@nestjs/common';
import {
  decideReading,
  moscowDate,
  type ReadingDecision,
  readingFacts,
  type ReadingInput,
  type ReadingPolicy,
  type Redecision,
  redecideReadings,
  type StoredReading,
  swapCounterpart,
} from '@gw/domain';
import { type BatchContext, ReadingRepository, withWaterMeters } from '@gw/persistence';
import { READING_POLICY } from '@gw/runtime';

/**
 * The processor's rules (libs/domain decideReading) applied to stored readings, against the
 * meter's current state as the processor would load it: its registry facts, last accepted reading
 * (or initial values), recent consumption and the account's other water meter.
 */
@Injectable()
export class ReadingRules {
  constructor(
    private readonly readings: ReadingRepository,
    @Inject(READING_POLICY) private readonly policy: ReadingPolicy,
  ) {}

  /**
   * The rules' verdict on a reading an operator approves for `meterSerial`. Whether the values
   * look swapped is what the operator has just judged, so the swapped-water rule is left out: the
   * verdict shows what the values amount to on that meter alone (a decrease stays a decrease).
   */
  async decide(input: ReadingInput, meterSerial: string): Promise<ReadingDecision> {
    const context = await this.load(input.accountNumber, meterSerial);
    const facts = readingFacts(context, input.accountNumber, meterSerial);
    return decideReading(input, { ...facts, otherMeters: [] }, this.policy);
  }

  /**
   * The account's other water meter a value of `meterSerial` read at `readAt` could have been
   * meant for (libs/domain swapCounterpart); null when the account has no such single pair.
   */
  async swapCounterpart(
    accountNumber: string,
    meterSerial: string,
    readAt: Date,
  ): Promise<string | null> {
    const facts = readingFacts(
      await this.load(accountNumber, meterSerial),
      accountNumber,
      meterSerial,
    );
    if (!facts.meter) return null;
    return (
      swapCounterpart(facts.meter, facts.otherMeters, moscowDate(readAt))?.meter.serial ?? null
    );
  }

  /** Null when the meter is no longer in the registry. */
  async redecide(
    readings: StoredReading[],
    accountNumber: string,
    meterSerial: string,
  ): Promise<Redecision[] | null> {
    const context = await this.load(accountNumber, meterSerial);
    const facts = readingFacts(context, accountNumber, meterSerial);
    if (!facts.meter) return null;
    return redecideReadings(readings, { ...facts, meter: facts.meter }, this.policy);
  }

  /** The meter's facts with the account's water meters, as the processor has them for a swap. */
  private async load(accountNumber: string, meterSerial: string): Promise<BatchContext> {
    const [context, water] = await Promise.all([
      this.readings.loadContext([], [accountNumber], [meterSerial]),
      this.readings.loadWaterMeters([accountNumber]),
    ]);
    return withWaterMeters(context, water);
  }
}
