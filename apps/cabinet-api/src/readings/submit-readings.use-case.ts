import { Injectable } from '@nestjs/common';
import { buildSubmission } from '@gw/contracts';
import { toMoscowIso } from '@gw/domain';
import { SubmissionPublisher } from '@gw/messaging';
import { MeterRepository } from '@gw/persistence';
import { counter } from '@gw/platform';
import { randomUUID } from 'node:crypto';
import { CabinetError } from '../cabinet.errors';
import { Clock } from '../clock';
import type { ReadingsQueuedDto } from './reading.dto';
import { repeatedMeter } from './repeated-meter';

const queued = counter('cabinet_readings_queued_total', 'Readings the cabinet handed to Kafka');

export interface SubmitReadings {
  residentId: string;
  accountNumber: string;
  readings: { meterSerial: string; values: { zone: string; value: string }[] }[];
  /** The client's Idempotency-Key; without one, a retry is a new submission. */
  idempotencyKey: string | null;
}

/**
 * A resident's readings, one canonical submission per meter, read now. `source` is the resident
 * and `"<idempotency key>/<serial>"`, so a retried request carries the same submission ids and
 * the processor stores nothing twice; a meter named twice is refused, as one of its two values
 * would be lost. Answers only after Kafka acknowledged every one.
 */
@Injectable()
export class SubmitReadingsUseCase {
  constructor(
    private readonly meters: MeterRepository,
    private readonly publisher: SubmissionPublisher,
    private readonly clock: Clock,
  ) {}

  async execute(command: SubmitReadings): Promise<ReadingsQueuedDto> {
    const repeated = repeatedMeter(command.readings.map((r) => r.meterSerial));
    if (repeated !== null)
      throw new CabinetError('METER_REPEATED', `meter ${repeated} is named more than once`);
    const own = new Set(
      (await this.meters.listByAccount(command.accountNumber)).map((m) => m.serial),
    );
    const foreign = command.readings.map((r) => r.meterSerial).filter((s) => !own.has(s));
    if (foreign.length > 0)
      throw new CabinetError(
        'METER_NOT_ON_ACCOUNT',
        `not a meter of account ${command.accountNumber}: ${foreign.join(', ')}`,
      );
    const now = toMoscowIso(this.clock.now());
    const key = command.idempotencyKey ?? randomUUID();
    const submissions = command.readings.map((r) =>
      buildSubmission({
        channel: 'cabinet',
        sourceId: command.residentId,
        sourceRef: `${key}/${r.meterSerial}`,
        accountNumber: command.accountNumber,
        meterSerial: r.meterSerial,
        values: r.values,
        readAt: now,
        receivedAt: now,
      }),
    );
    await this.publisher.publish(submissions);
    queued.inc(submissions.length);
    return {
      accountNumber: command.accountNumber,
      readings: submissions.map((s) => ({
        meterSerial: s.meterSerial,
        submissionId: s.submissionId,
        status: 'queued',
      })),
    };
  }
}
