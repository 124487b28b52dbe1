import { estimateId, RESOURCES, type Resource, ZONES } from '@gw/contracts';
import {
  billingPeriodOf,
  decideEstimate,
  type EstimatePolicy,
  formatDate,
  type IsoDate,
  moscowDate,
  outOfOrderAt,
  parseDate,
  type Period,
  periodWindows,
  type PendingWindow,
  type WindowPolicy,
} from '@gw/domain';
import {
  type EstimateCandidate,
  type EstimateRepository,
  type NewEstimate,
  type TransactionRunner,
} from '@gw/persistence';

/** Why an estimate run refused to start. */
export class EstimateRunRefused extends Error {
  constructor(
    readonly code: 'WINDOW_OPEN',
    message: string,
  ) {
    super(message);
  }
}

export interface EstimateRunReport {
  period: Period;
  /** Meters without an accepted reading or an earlier estimate for the period. */
  checked: number;
  estimated: number;
  byMethod: Record<NewEstimate['method'], number>;
  /** Meters left without an estimate: no average and no normative imported for the account. */
  missingNormative: string[];
  /** The resources whose window of the period is still open: their meters are estimated later. */
  pending: PendingWindow[];
}

/** Meters read per chunk: one query and one insert each. */
const CHUNK = 2000;
/** At most this many serials are listed by name in a report. */
const LISTED = 100;

/**
 * Decree-354 estimates for one billing period (contract section 10), resource by resource as the
 * period's window for it closes: every meter of such a resource in service without an accepted
 * reading and without an estimate gets one; the others are reported pending. Re-running decides
 * nothing already decided; one run of a period goes on at a time across instances and `ctl`
 * (HeldElsewhere otherwise). Publishing is the relay's (`EstimateRepository`).
 */
export class RunEstimatesUseCase {
  constructor(
    private readonly estimates: EstimateRepository,
    private readonly transactions: TransactionRunner,
    private readonly window: WindowPolicy,
    private readonly policy: EstimatePolicy,
  ) {}

  async run(period: Period, now: Date): Promise<EstimateRunReport> {
    const { closed, pending } = periodWindows(this.window, period, formatDate(moscowDate(now)));
    if (pending.length === RESOURCES.length)
      throw new EstimateRunRefused(
        'WINDOW_OPEN',
        `the window of ${period} is still open for every resource (the first closes on ${pending.map((p) => p.closesOn).sort()[0]}); estimates start the day after`,
      );
    const report = await this.transactions.exclusively(`estimates ${period}`, () =>
      this.estimate(period, closed, now),
    );
    return { ...report, pending };
  }

  private async estimate(
    period: Period,
    closesOn: Partial<Record<Resource, IsoDate>>,
    now: Date,
  ): Promise<Omit<EstimateRunReport, 'pending'>> {
    const report: Omit<EstimateRunReport, 'pending'> = {
      period,
      checked: 0,
      estimated: 0,
      byMethod: { average: 0, normative: 0, normative_raised: 0 },
      missingNormative: [],
    };
    let after = '';
    for (;;) {
      const chunk = await this.estimates.candidates(period, closesOn, after, CHUNK);
      if (chunk.lastSerial === null) break;
      after = chunk.lastSerial;
      const decided: NewEstimate[] = [];
      for (const candidate of chunk.candidates) {
        report.checked += 1;
        const estimate = this.decide(candidate, period, now);
        if (estimate) decided.push(estimate);
        else if (report.missingNormative.length < LISTED)
          report.missingNormative.push(candidate.serial);
      }
      const stored = await this.transactions.run((tx) => this.estimates.insert(tx, decided));
      for (const e of decided.filter((d) => stored.has(d.estimateId))) {
        report.estimated += 1;
        report.byMethod[e.method] += 1;
      }
    }
    return report;
  }

  private decide(c: EstimateCandidate, period: Period, now: Date): NewEstimate | null {
    const decision = decideEstimate(
      {
        period,
        resource: c.resource,
        zones: ZONES.slice(0, c.zones),
        baselinePeriod: c.initialOn?.slice(0, 7) ?? null,
        // The period a reading on the day of installation would count for: a meter installed after
        // its month's window closed is unread from the next period on.
        installedPeriod: billingPeriodOf(this.window, c.resource, parseDate(c.installedOn))
          .billingPeriod,
        history: c.history,
        outOfOrderFrom: outOfOrderAt(this.window, c, c.closesOn, period),
        normative: c.normative,
        sharing: c.sharing,
      },
      this.policy,
    );
    if (!decision.ok) return null;
    return {
      estimateId: estimateId(c.serial, period),
      serial: c.serial,
      billingPeriod: period,
      accountNumber: c.accountNumber,
      resource: c.resource,
      method: decision.method,
      consecutive: decision.consecutive,
      consumption: decision.consumption,
      basis: decision.basis,
      coefficient: decision.coefficient,
      decidedAt: now,
    };
  }
}
