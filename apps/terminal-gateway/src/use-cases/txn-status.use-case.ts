import { Injectable } from '@nestjs/common';
import { ReadingRepository } from '@gw/persistence';
import type { AuthenticatedTerminal } from '../auth/terminal-authenticator';
import { OsmpError } from '../osmp/osmp-errors';
import { type OsmpParams, parseTxnId } from '../osmp/osmp-params';
import { OSMP_RESULT } from '../osmp/osmp-result';
import type { OsmpReply } from '../osmp/osmp-xml';
import { TerminalTxnRepository } from '../persistence/terminal-txn.repository';

/**
 * `command=status`: the processor's decision on each reading of a completed pay, so a terminal
 * that polls learns that a reading was rejected and why. `queued` until the processor decided.
 */
@Injectable()
export class TxnStatusUseCase {
  constructor(
    private readonly txns: TerminalTxnRepository,
    private readonly readings: ReadingRepository,
  ) {}

  async execute(terminal: AuthenticatedTerminal, params: OsmpParams): Promise<OsmpReply> {
    const txnId = parseTxnId(params);
    const txn = await this.txns.find(terminal.terminalId, txnId);
    if (!txn) throw new OsmpError('TXN_UNKNOWN', 'unknown txn_id');
    if (txn.status !== 'done')
      throw new OsmpError(
        'TXN_UNKNOWN',
        'pay not completed: repeat the pay with the same parameters',
      );
    const decided = new Map(
      (await this.readings.findMany(txn.submissions.map((s) => s.submissionId))).map((r) => [
        r.submissionId,
        r,
      ]),
    );
    return {
      osmpTxnId: txn.txnId,
      prvTxn: txn.prvTxn,
      sum: txn.sum,
      result: OSMP_RESULT.ok,
      comment: 'OK',
      details: {
        name: 'readings',
        children: txn.submissions.map((s) => {
          const outcome = decided.get(s.submissionId);
          return {
            name: 'reading',
            attributes: {
              meter: s.source.ref.slice(s.source.ref.lastIndexOf('/') + 1),
              serial: s.meterSerial,
              submission_id: s.submissionId,
              status: outcome?.status ?? 'queued',
              reasons: outcome?.reasons.join(',') ?? '',
              warnings: outcome?.warnings.join(',') ?? '',
              billing_period: outcome?.billingPeriod ?? '',
            },
          };
        }),
      },
    };
  }
}
