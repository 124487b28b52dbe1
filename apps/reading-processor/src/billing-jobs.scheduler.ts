import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import {
  addPeriods,
  formatDate,
  type IsoDate,
  moscowDate,
  type Period,
  periodWindows,
  toMoscowIso,
  type WindowPolicy,
} from '@gw/domain';
import { HeldElsewhere } from '@gw/persistence';
import { counter, RepeatingTask } from '@gw/platform';
import {
  BillingRelay,
  READING_POLICY,
  RunEstimatesUseCase,
  RunRemindersUseCase,
} from '@gw/runtime';
import type { ReadingPolicy } from '@gw/domain';
import { PROCESSOR_ENV, type ProcessorEnv } from './processor.env';

const relayed = counter(
  'billing_messages_published_total',
  'Verification reminders and estimates relayed to Kafka',
  ['topic'],
);
const caughtUp = counter(
  'billing_estimates_caught_up_total',
  'Estimates the scheduled run decided for a period before the latest closed ones (missed while it did not run)',
);
const failures = counter('billing_job_failures_total', 'Billing job runs that failed', ['job']);

/**
 * For each resource, the latest period whose window for it closed before `today`, in order (two
 * from the day the first window of a month closes to the day the last one does): the periods a
 * running schedule estimates as their windows close; the ones before are caught up.
 */
export function lastClosedPeriods(window: WindowPolicy, today: IsoDate): Period[] {
  const current = today.slice(0, 7);
  const { closed, pending } = periodWindows(window, current, today);
  return [
    ...(pending.length > 0 ? [addPeriods(current, -1)] : []),
    ...(Object.keys(closed).length > 0 ? [current] : []),
  ];
}

/**
 * How many periods an automatic run covers: the latest closed one and the two before it, so the
 * periods whose windows closed while the processor or its schedule was down are estimated when
 * it is back. Three as domain.md's horizons: the average's first three periods without a
 * reading, readings more than 3 months old refused. Older ones are `ctl estimates run`'s.
 */
export const CATCH_UP_PERIODS = 3;

/**
 * The periods an automatic estimate run covers on `today`, oldest first: the latest period whose
 * window has closed for a resource and the CATCH_UP_PERIODS - 1 before it (all closed).
 */
export function periodsToEstimate(window: WindowPolicy, today: IsoDate): Period[] {
  const latest = lastClosedPeriods(window, today).at(-1) as Period;
  return Array.from({ length: CATCH_UP_PERIODS }, (_, i) =>
    addPeriods(latest, i + 1 - CATCH_UP_PERIODS),
  );
}

/**
 * Every BILLING_JOBS_INTERVAL_MS: the day's reminders once it is REMINDERS_AT in Moscow, when
 * ESTIMATES_SCHEDULE_ENABLED the estimates of each resource once the period's window for it has
 * closed (a run per period and set of closed resources, over `periodsToEstimate`: the periods
 * whose close it missed are caught up, oldest first), and the relay of whatever is
 * unpublished (also what `ctl` or another instance left). Each job is idempotent in the database,
 * so instances and restarts repeat nothing; runs never overlap, an estimate run of a period goes on
 * in one instance at a time, and shutdown waits for the current run.
 */
@Injectable()
export class BillingJobsScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(BillingJobsScheduler.name);
  private readonly task: RepeatingTask;
  private remindedOn: string | null = null;
  /** The runs done, as period and closed resources; only the current ones are kept. */
  private estimated = new Set<string>();

  constructor(
    private readonly reminders: RunRemindersUseCase,
    private readonly estimates: RunEstimatesUseCase,
    private readonly relay: BillingRelay,
    @Inject(READING_POLICY) private readonly policy: ReadingPolicy,
    @Inject(PROCESSOR_ENV) private readonly env: ProcessorEnv,
  ) {
    this.task = new RepeatingTask(
      () => this.run(),
      (error) => this.logger.error({ msg: 'billing jobs run failed', error: error.message }),
    );
  }

  onApplicationBootstrap(): void {
    this.task.start(this.env.BILLING_JOBS_INTERVAL_MS, true);
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }

  private async run(): Promise<void> {
    const now = new Date();
    const today = formatDate(moscowDate(now));
    if (
      this.env.REMINDERS_ENABLED &&
      this.remindedOn !== today &&
      toMoscowIso(now).slice(11, 16) >= this.env.REMINDERS_AT
    )
      await this.attempt('reminders', async () => {
        const report = await this.reminders.run(today, now);
        this.remindedOn = today;
        if (report.recorded > 0)
          this.logger.log({ msg: 'verification reminders decided', ...report });
      });
    if (this.env.ESTIMATES_SCHEDULE_ENABLED) await this.estimate(today, now);
    await this.attempt('relay', async () => {
      const report = await this.relay.drain();
      relayed.inc({ topic: 'reminders' }, report.reminders);
      relayed.inc({ topic: 'estimates' }, report.estimates);
    });
  }

  private async estimate(today: IsoDate, now: Date): Promise<void> {
    const justClosed = lastClosedPeriods(this.policy.window, today);
    const runs = periodsToEstimate(this.policy.window, today).map((period) => ({
      period,
      key: `${period} ${Object.keys(periodWindows(this.policy.window, period, today).closed).join(',')}`,
    }));
    const current = new Set(runs.map((r) => r.key));
    this.estimated = new Set([...this.estimated].filter((key) => current.has(key)));
    for (const { period, key } of runs)
      if (!this.estimated.has(key))
        await this.attempt('estimates', async () => {
          const report = await this.estimates.run(period, now);
          this.estimated.add(key);
          // A period before those whose windows closed last: missed while nothing ran here.
          const caughtUpNow = !justClosed.includes(period);
          if (caughtUpNow) caughtUp.inc(report.estimated);
          if (report.estimated > 0)
            this.logger.log({
              msg: caughtUpNow ? 'estimates caught up' : 'estimates decided',
              period,
              estimated: report.estimated,
              missingNormative: report.missingNormative.length,
              pending: report.pending.map((p) => p.resource),
            });
        });
  }

  /** A failed job is logged and counted, one running elsewhere logged; the next tick tries again. */
  private async attempt(job: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (error instanceof HeldElsewhere) {
        this.logger.log({ msg: 'billing job running in another instance; trying later', job });
        return;
      }
      failures.inc({ job });
      this.logger.warn({
        msg: 'billing job failed; retrying later',
        job,
        error: (error as Error).message,
      });
    }
  }
}
