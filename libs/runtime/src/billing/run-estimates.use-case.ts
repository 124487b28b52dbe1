import { estimateId, RESOURCES, type Resource, ZONES } from '@gw/contracts';
import {
  decideEstimate,
  type EstimatePolicy,
  formatDate,
  formatUnits,
  type IsoDate,
  moscowDate,
  outOfOrderAt,
  type Period,
  toUnits,
  windowClosesOn,
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
}

/** Meters read per chunk: one query and one insert each. */
const CHUNK = 2000;
/** At most this many serials are listed by name in a report. */
const LISTED = 100;

/**
 * Decree-354 estimates for one billing period (contract section 10), after its windows have
 * closed: every meter in service without an accepted reading and without an estimate gets one.
 * Re-running decides nothing already decided; one run of a period goes on at a time across
 * instances and `ctl` (HeldElsewhere otherwise). Publishing is the relay's (`EstimateRepository`).
 */
export class RunEstimatesUseCase {
  constructor(
    private readonly estimates: EstimateRepository,
    private readonly transactions: TransactionRunner,
    private readonly window: WindowPolicy,
    private readonly policy: EstimatePolicy,
  ) {}

  async run(period: Period, now: Date): Promise<EstimateRunReport> {
    const closesOn = Object.fromEntries(
      RESOURCES.map((r) => [r, windowClosesOn(this.window, r, period)]),
    ) as Record<Resource, IsoDate>;
    const today = formatDate(moscowDate(now));
    const open = RESOURCES.filter((r) => closesOn[r] >= today);
    if (open.length > 0)
      throw new EstimateRunRefused(
        'WINDOW_OPEN',
        `the window of ${period} is still open for ${open.join(', ')} (it closes on ${closesOn[open[0]]}); estimates start the day after`,
      );
    return this.transactions.exclusively(`estimates ${period}`, () =>
      this.estimate(period, closesOn, now),
    );
  }

  private async estimate(
    period: Period,
    closesOn: Record<Resource, IsoDate>,
    now: Date,
  ): Promise<EstimateRunReport> {
    const report: EstimateRunReport = {
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
    const normative = toUnits(c.normative ?? '');
    const decision = decideEstimate(
      {
        period,
        resource: c.resource,
        zones: ZONES.slice(0, c.zones),
        baselinePeriod: c.initialOn?.slice(0, 7) ?? null,
        history: c.history,
        outOfOrderFrom: outOfOrderAt(this.window, c, c.closesOn, period),
        normative:
          normative === null ? null : formatUnits(normative / BigInt(Math.max(1, c.sharing)), 6),
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
