import { Injectable } from '@nestjs/common';
import {
  checkNewVerification,
  formatDate,
  moscowDate,
  toMoscowIso,
  verificationDueOn,
} from '@gw/domain';
import {
  AuditLogRepository,
  MeterVerificationRepository,
  TransactionRunner,
  type VerificationRecord,
} from '@gw/persistence';
import type { OperatorPrincipal } from '../auth/operator-tokens';
import {
  InvalidVerificationError,
  NotFoundError,
  VerificationConflictError,
} from '../backoffice.errors';
import type { RecordVerificationDto, VerificationDto } from './verification.dto';

/**
 * Records a new verification (поверка) and makes it the meter's current one: the due date becomes
 * verifiedOn + intervalMonths. Sending the same verification again changes nothing (`created`
 * false); readings it could revive are only counted here, and re-decided on request.
 */
@Injectable()
export class RecordVerificationUseCase {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly verifications: MeterVerificationRepository,
    private readonly audit: AuditLogRepository,
  ) {}

  async execute(
    serial: string,
    body: RecordVerificationDto,
    operator: OperatorPrincipal,
  ): Promise<{ created: boolean; verification: VerificationDto }> {
    const now = new Date();
    const { created, record } = await this.transactions.run(async (tx) => {
      const meter = await this.verifications.lockMeter(tx, serial);
      if (!meter) throw new NotFoundError(`meter ${serial}`);
      const onFile = await this.verifications.find(tx, serial, body.verifiedOn);
      if (onFile) {
        if (
          onFile.intervalMonths === body.intervalMonths &&
          onFile.certificateNo === body.certificateNo
        )
          return { created: false, record: onFile };
        throw new VerificationConflictError(
          `a verification of ${serial} on ${body.verifiedOn} is on file with other details`,
        );
      }
      const problem = checkNewVerification(meter, body.verifiedOn, formatDate(moscowDate(now)));
      if (problem?.code === 'INVALID_VERIFICATION')
        throw new InvalidVerificationError(problem.message);
      if (problem) throw new VerificationConflictError(problem.message);
      const recorded: VerificationRecord = await this.verifications.record(tx, {
        serial,
        verifiedOn: body.verifiedOn,
        intervalMonths: body.intervalMonths,
        dueOn: verificationDueOn(body.verifiedOn, body.intervalMonths),
        certificateNo: body.certificateNo,
        recordedBy: operator.login,
      });
      await this.audit.append(tx, {
        login: operator.login,
        role: operator.role,
        action: 'meter.verification',
        subject: `meter:${serial}`,
        before: {
          verifiedOn: meter.verifiedOn,
          intervalMonths: meter.intervalMonths,
          dueOn: meter.dueOn,
        },
        after: {
          verifiedOn: recorded.verifiedOn,
          intervalMonths: recorded.intervalMonths,
          dueOn: recorded.dueOn,
          certificateNo: recorded.certificateNo,
        },
      });
      return { created: true, record: recorded };
    });
    const revalidatable = await this.verifications.countRevalidatable(serial);
    return {
      created,
      verification: { ...record, recordedAt: toMoscowIso(record.recordedAt), revalidatable },
    };
  }
}
