import { Inject, Injectable } from '@nestjs/common';
import {
  decideReading,
  type ReadingDecision,
  readingFacts,
  type ReadingInput,
  type ReadingPolicy,
  type Redecision,
  redecideReadings,
  type StoredReading,
} from '@gw/domain';
import { type BatchContext, ReadingRepository } from '@gw/persistence';
import { READING_POLICY } from '@gw/runtime';

/**
 * The processor's rules (libs/domain decideReading) applied to stored readings, against the
 * meter's current state as the processor would load it: its registry facts, last accepted reading
 * (or initial values) and recent consumption.
 */
@Injectable()
export class ReadingRules {
  constructor(
    private readonly readings: ReadingRepository,
    @Inject(READING_POLICY) private readonly policy: ReadingPolicy,
  ) {}

  async decide(input: ReadingInput, meterSerial: string): Promise<ReadingDecision> {
    const context = await this.load(input.accountNumber, meterSerial);
    return decideReading(
      input,
      readingFacts(context, input.accountNumber, meterSerial),
      this.policy,
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

  private load(accountNumber: string, meterSerial: string): Promise<BatchContext> {
    return this.readings.loadContext([], [accountNumber], [meterSerial]);
  }
}
