import { Logger } from '@nestjs/common';
import { DAY_MS, matchArshinRecords, parseArshinItems, skippedMayBeLatest } from '@gw/domain';
import {
  AuditLogRepository,
  type LookupMeter,
  MeterVerificationRepository,
  TransactionRunner,
} from '@gw/persistence';
import { MeterRevalidation, type RevalidationActor } from '../meter-revalidation';
import { ArshinClient, ArshinLookupError } from './arshin.client';

/** The lock a sync of the due meters holds (`TransactionRunner.exclusively`). */
export const SYNC_JOB = 'arshin sync';

/** What one sync did (contract section 8: `ctl verifications sync`). */
export interface VerificationSyncReport {
  /** Meters Arshin was asked about. */
  checked: number;
  /** Meters with records new to their history. */
  recorded: number;
  /** Meters whose newly recorded current verification says unfit. */
  unfit: number;
  /** Meters Arshin has no record of (for their type, or resource). */
  notFound: number;
  /** Readings whose decision changed on revalidation. */
  revalidated: number;
  /**
   * Meters left as they were (Arshin did not answer, or its records are ambiguous or unclear), and
   * items of an answer skipped as unusable, one entry each; the meter's other records are recorded
   * unless a skipped item may be its latest.
   */
  failed: { serial: string; error: string }[];
}

/**
 * Asks Arshin about meters whose verification is expired or falls due, records what it shows,
 * and decides again the readings the new records judge otherwise (revived by a fit one, rejected
 * VERIFICATION_FAILED from an unfit one's date on, even one older than the current verification),
 * through the same MeterRevalidation as the back office. Arshin being slow, refusing or out never
 * stops the sync: the meter is reported in `failed` and the next one is tried (at once, when the
 * circuit is open). An item of an answer that cannot be stored as written is skipped and reported;
 * the meter's other records are recorded, unless the skipped item may be later than all of them
 * (then nothing is, and the meter is reported too). The records are written per meter in one
 * transaction with an audit entry.
 */
export class VerificationSync {
  private readonly logger = new Logger(VerificationSync.name);

  constructor(
    private readonly client: ArshinClient,
    private readonly verifications: MeterVerificationRepository,
    private readonly revalidation: MeterRevalidation,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditLogRepository,
    /** A due meter Arshin answered about is asked again after this many days (0: at every sync). */
    private readonly recheckDays: number,
  ) {}

  /**
   * The meters due by `dueBy` (a Moscow date) that Arshin has not answered about within
   * `recheckDays` (or for another type number), or the one `serial`; null when that serial is
   * unknown. A sync of the due meters runs in one process at a time (HeldElsewhere otherwise), so
   * replicas and `ctl` together keep to Arshin's pace; one meter's lookup runs whenever asked.
   */
  async run(
    selection: { dueBy: string; serial?: string },
    actor: RevalidationActor,
  ): Promise<VerificationSyncReport | null> {
    const sync = () => this.sync(selection, actor);
    return selection.serial === undefined ? this.transactions.exclusively(SYNC_JOB, sync) : sync();
  }

  private async sync(
    { dueBy, serial }: { dueBy: string; serial?: string },
    actor: RevalidationActor,
  ): Promise<VerificationSyncReport | null> {
    const meters = await this.verifications.dueForLookup(
      serial === undefined
        ? { dueBy, askedBefore: new Date(Date.now() - this.recheckDays * DAY_MS) }
        : { serial },
    );
    if (serial !== undefined && meters.length === 0) return null;
    const report: VerificationSyncReport = {
      checked: 0,
      recorded: 0,
      unfit: 0,
      notFound: 0,
      revalidated: 0,
      failed: [],
    };
    for (const meter of meters) {
      try {
        await this.syncMeter(meter, actor, report);
        // Once what Arshin said of it is handled: a meter whose records failed to be stored is
        // asked about again at the next sync.
        await this.verifications.recordLookup(meter);
      } catch (error) {
        if (!(error instanceof ArshinLookupError)) throw error;
        report.failed.push({ serial: meter.serial, error: error.message });
      }
    }
    this.logger.log({ msg: 'Arshin sync done', ...report, failed: report.failed.length });
    return report;
  }

  private async syncMeter(
    meter: LookupMeter,
    actor: RevalidationActor,
    report: VerificationSyncReport,
  ): Promise<void> {
    const answer = await this.client.lookup(meter.serial, meter.typeNumber);
    report.checked += 1;
    if (answer.items.length < answer.count) {
      // Records left unread may be this meter's or a namesake's: the match would be a guess.
      const asked = meter.typeNumber === null ? 'serial' : 'serial and type';
      const hint = meter.typeNumber === null ? '; set type_number in the registry' : '';
      report.failed.push({
        serial: meter.serial,
        error: `too many records: Arshin counts ${answer.count} of this ${asked}, more than the ${answer.items.length} a lookup reads${hint}`,
      });
      return;
    }
    const { records, unusable } = parseArshinItems(answer.items);
    for (const { item, error } of unusable)
      report.failed.push({
        serial: meter.serial,
        error: `item ${item} of Arshin's answer skipped: ${error}`,
      });
    const match = matchArshinRecords(meter, records);
    if (match.kind === 'not_found') {
      // A skipped item may be this meter's record: the meter is in `failed`, not "not found".
      if (unusable.length === 0) report.notFound += 1;
      return;
    }
    if (match.kind === 'ambiguous') {
      report.failed.push({
        serial: meter.serial,
        error: `ambiguous: Arshin has this serial for types ${match.typeNumbers.join(', ')}; set type_number in the registry`,
      });
      return;
    }
    if (match.kind === 'unclear') {
      report.failed.push({
        serial: meter.serial,
        error: `unclear: Arshin has this serial only for types ${match.typeNumbers.join(', ')}, whose titles name no resource; set type_number in the registry`,
      });
      return;
    }
    if (skippedMayBeLatest(match.records, unusable)) {
      report.failed.push({
        serial: meter.serial,
        error: 'nothing recorded: an item skipped may be the latest record of this meter',
      });
      return;
    }
    const recording = await this.transactions.run(async (tx) => {
      const locked = await this.verifications.lockMeter(tx, meter.serial);
      if (!locked) return null;
      const result = await this.verifications.recordArshin(tx, locked, match.records, actor.login);
      if (result.recorded > 0)
        await this.audit.append(tx, {
          login: actor.login,
          role: actor.role,
          action: 'meter.verification.arshin',
          subject: `meter:${meter.serial}`,
          before: result.before,
          after: { recorded: result.recorded, current: result.current },
        });
      return result;
    });
    if (recording === null || recording.recorded === 0) return;
    report.recorded += 1;
    if (recording.current?.applicable === false) report.unfit += 1;
    const revalidation = await this.revalidation.revalidate(meter.serial, actor);
    if (revalidation === 'unknown_meter') return;
    if (revalidation === 'kept_changing') {
      report.failed.push({
        serial: meter.serial,
        error: 'recorded; its readings kept changing during revalidation, retry',
      });
      return;
    }
    report.revalidated += revalidation.revalidated.length;
  }
}
