import { Injectable } from '@nestjs/common';
import { buildSubmission } from '@gw/contracts';
import { toMoscowIso } from '@gw/domain';
import { SubmissionPublisher } from '@gw/messaging';
import { MeterRepository } from '@gw/persistence';
import { counter } from '@gw/platform';
import { randomUUID } from 'node:crypto';
import { CabinetError } from '../cabinet.errors';
import { Clock } from '../clock';
import { SubmissionKeyRepository } from '../persistence/submission-key.repository';
import type { ReadingsQueuedDto } from './reading.dto';
import { repeatedMeter } from './repeated-meter';
import { sameReadings } from './same-readings';

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
 * and `"<idempotency key>/<serial>"`; a meter named twice is refused, as one of its two values
 * would be lost. The first request with a key wins: a later one with the same readings (a retry,
 * a double click, one racing it from another device) is answered with the first one's submissions
 * and queues them again, so the processor stores only those; one with other readings is refused.
 * Answers only after Kafka acknowledged every one.
 */
@Injectable()
export class SubmitReadingsUseCase {
  constructor(
    private readonly meters: MeterRepository,
    private readonly publisher: SubmissionPublisher,
    private readonly clock: Clock,
    private readonly keys: SubmissionKeyRepository,
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
    const at = this.clock.now();
    const now = toMoscowIso(at);
    const key = command.idempotencyKey ?? randomUUID();
    const built = command.readings.map((r) =>
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
    const { idempotencyKey } = command;
    const submissions =
      idempotencyKey === null
        ? built
        : await this.keys.claim({ ...command, idempotencyKey }, built, at);
    if (!sameReadings(submissions, built))
      throw new CabinetError(
        'IDEMPOTENCY_KEY_REUSED',
        'this Idempotency-Key was sent before with other readings; send new readings with a new key',
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
