import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { buildSubmission } from '@gw/contracts';
import { toMoscowIso } from '@gw/domain';
import { SubmissionPublisher } from '@gw/messaging';
import { MeterRepository } from '@gw/persistence';
import { HttpDrain } from '@gw/platform';
import { setTimeout } from 'node:timers/promises';
import type { AuthenticatedTerminal } from '../auth/terminal-authenticator';
import { OsmpError } from '../osmp/osmp-errors';
import {
  type OsmpParams,
  parseAccount,
  parseSum,
  parseTxnDate,
  parseTxnId,
  payFingerprint,
} from '../osmp/osmp-params';
import { checkReadingsFitMeters, parseReadings } from '../osmp/osmp-readings';
import { OSMP_RESULT } from '../osmp/osmp-result';
import type { OsmpReply } from '../osmp/osmp-xml';
import { type TerminalTxn, TerminalTxnRepository } from '../persistence/terminal-txn.repository';
import { TerminalEnv } from '../terminal.env';

/** Beyond the publish time limit, a lease left by a crashed attempt lapses. */
const LEASE_MARGIN_MS = 5000;
/** How often a repeat looks whether the attempt it waits for has finished. */
const IN_PROGRESS_POLL_MS = 50;

/**
 * `command=pay`: readings become canonical submissions, kept under the terminal's `txn_id` before
 * anything is published, and the answer is 0 only once Kafka acknowledged every one of them.
 *
 * A repeat of a completed txn answers the stored `prv_txn` and publishes nothing. A repeat of a
 * txn whose publish failed re-sends the stored submissions: their ids are a function of (terminal,
 * `txn_id`/N, meter), so whatever reached Kafka the first time is stored once by the processor.
 */
@Injectable()
export class PayReadingsUseCase implements OnModuleInit {
  private readonly leaseMs: number;
  private drain!: HttpDrain;

  constructor(
    private readonly txns: TerminalTxnRepository,
    private readonly meters: MeterRepository,
    private readonly publisher: SubmissionPublisher,
    private readonly moduleRef: ModuleRef,
    env: TerminalEnv,
  ) {
    this.leaseMs = env.KAFKA_SEND_TIMEOUT_MS + LEASE_MARGIN_MS;
  }

  onModuleInit(): void {
    this.drain = this.moduleRef.get(HttpDrain, { strict: false });
  }

  async execute(terminal: AuthenticatedTerminal, params: OsmpParams): Promise<OsmpReply> {
    const txnId = parseTxnId(params);
    const paramsHash = payFingerprint(params);
    const known = await this.txns.find(terminal.terminalId, txnId);
    if (known) return this.resume(known, paramsHash);

    const account = parseAccount(params);
    const sum = parseSum(params);
    const readAt = parseTxnDate(params);
    const readings = parseReadings(params);
    const meters = await this.meters.listByAccount(account);
    if (meters.length === 0 && !(await this.meters.accountExists(account)))
      throw new OsmpError('ACCOUNT_NOT_FOUND', 'account not found');
    checkReadingsFitMeters(readings, meters);

    const receivedAt = toMoscowIso(new Date());
    const submissions = readings.map((r) =>
      buildSubmission({
        channel: 'payment-terminal',
        sourceId: terminal.terminalId,
        sourceRef: `${txnId}/${r.index}`,
        accountNumber: account,
        meterSerial: r.serial,
        values: r.values,
        readAt,
        receivedAt,
      }),
    );
    const created = await this.txns.insertPending({
      terminalId: terminal.terminalId,
      txnId,
      paramsHash,
      accountNumber: account,
      sum,
      submissions,
    });
    if (created) return this.publishAndComplete(created);
    // A retry of the same txn got its row in first.
    const raced = await this.txns.find(terminal.terminalId, txnId);
    if (!raced) throw new Error(`txn ${txnId} neither inserted nor found`);
    return this.resume(raced, paramsHash);
  }

  /**
   * A repeat of a known txn. While another attempt holds it (the terminal sent the pay again before
   * the first answer came), the repeat waits for that attempt, at most a lease, and answers as it
   * did: the same `prv_txn`, not a `1`. An attempt that failed meanwhile leaves the txn to this one.
   * Once the app is shutting down it stops waiting and answers `1`: the wait (up to a lease) and a
   * publish after it would outlast the drain, which would cut the terminal's connection instead.
   */
  private async resume(txn: TerminalTxn, paramsHash: string): Promise<OsmpReply> {
    if (txn.paramsHash !== paramsHash) throw new OsmpError('TXN_REUSED', 'txn_id reused');
    const deadline = Date.now() + this.leaseMs;
    for (let current = txn; ;) {
      if (current.status === 'done') return this.reply(current);
      if (await this.txns.claim(current.terminalId, current.txnId, this.leaseMs))
        return this.publishAndComplete(current);
      if (Date.now() >= deadline || !this.drain.accepting)
        throw new OsmpError('TXN_IN_PROGRESS', 'txn_id is being processed, retry later');
      await setTimeout(IN_PROGRESS_POLL_MS);
      current = (await this.txns.find(current.terminalId, current.txnId)) ?? current;
    }
  }

  private async publishAndComplete(txn: TerminalTxn): Promise<OsmpReply> {
    try {
      await this.publisher.publish(txn.submissions);
    } catch (error) {
      await this.txns.release(txn.terminalId, txn.txnId).catch(() => undefined);
      throw error;
    }
    await this.txns.complete(txn.terminalId, txn.txnId);
    return this.reply(txn);
  }

  private reply(txn: TerminalTxn): OsmpReply {
    return {
      osmpTxnId: txn.txnId,
      prvTxn: txn.prvTxn,
      sum: txn.sum,
      result: OSMP_RESULT.ok,
      comment: 'OK',
    };
  }
}
