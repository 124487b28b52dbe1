import { Logger } from '@nestjs/common';
import { DEFAULT_WINDOW_POLICY, type ReadingPolicy } from '@gw/domain';
import { HeldElsewhere } from '@gw/persistence';
import { loadConfig, metricsRegistry } from '@gw/platform';
import type { BillingRelay, RunEstimatesUseCase, RunRemindersUseCase } from '@gw/runtime';
import {
  BillingJobsScheduler,
  lastClosedPeriods,
  periodsToEstimate,
} from './billing-jobs.scheduler';
import { ProcessorEnv } from './processor.env';

describe('lastClosedPeriods', () => {
  const december = {
    ...DEFAULT_WINDOW_POLICY,
    overrides: { '2026-12': { '*': { openDay: 1, closeDay: 12 } } },
  };

  it.each([
    ['the day water closes (the 25th)', '2026-11-25', ['2026-10']],
    [
      'the day after: water of the month, electricity (the 26th) of the last',
      '2026-11-26',
      ['2026-10', '2026-11'],
    ],
    ['the day after electricity closes', '2026-11-27', ['2026-11']],
    ['early in a month', '2026-12-05', ['2026-11']],
    ['across the year end', '2027-01-10', ['2026-12']],
  ])('%s: %s -> %s', (_case, today, periods) => {
    expect(lastClosedPeriods(DEFAULT_WINDOW_POLICY, today)).toEqual(periods);
  });

  it('follows a month override: December closes on the 12th', () => {
    expect(lastClosedPeriods(december, '2026-12-12')).toEqual(['2026-11']);
    expect(lastClosedPeriods(december, '2026-12-13')).toEqual(['2026-12']);
  });
});

describe('periodsToEstimate', () => {
  it.each([
    ['before any window of the month closed', '2026-11-25', ['2026-08', '2026-09', '2026-10']],
    ['once water closed', '2026-11-26', ['2026-09', '2026-10', '2026-11']],
    ['once every window closed', '2026-11-27', ['2026-09', '2026-10', '2026-11']],
    ['across the year end', '2027-01-10', ['2026-10', '2026-11', '2026-12']],
  ])('%s: %s -> %s', (_case, today, periods) => {
    expect(periodsToEstimate(DEFAULT_WINDOW_POLICY, today)).toEqual(periods);
  });
});

describe('BillingJobsScheduler', () => {
  /** A scheduler with only the estimates scheduled, checked every second. */
  const estimatingScheduler = (estimates: { run: jest.Mock }) => {
    const env = loadConfig(ProcessorEnv, {
      GATEWAY_MODE: 'development',
      REMINDERS_ENABLED: 'false',
      ESTIMATES_SCHEDULE_ENABLED: 'true',
      BILLING_JOBS_INTERVAL_MS: '1000',
    });
    const relay = { drain: jest.fn().mockResolvedValue({ reminders: 0, estimates: 0 }) };
    const scheduler = new BillingJobsScheduler(
      {} as RunRemindersUseCase,
      estimates as unknown as RunEstimatesUseCase,
      relay as unknown as BillingRelay,
      { window: DEFAULT_WINDOW_POLICY } as ReadingPolicy,
      env,
    );
    return { scheduler, relay };
  };

  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('leaves an estimate run another instance is doing to it, and runs the period at its next tick', async () => {
    jest.useFakeTimers({ now: new Date('2026-12-05T12:00:00Z') });
    const estimates = {
      run: jest
        .fn()
        .mockRejectedValueOnce(new HeldElsewhere('estimates 2026-09'))
        .mockResolvedValue({ estimated: 0, missingNormative: [] }),
    };
    const logged = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const warned = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const { scheduler, relay } = estimatingScheduler(estimates);
    scheduler.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(0);
    expect(logged).toHaveBeenCalledWith({
      msg: 'billing job running in another instance; trying later',
      job: 'estimates',
    });
    expect(warned).not.toHaveBeenCalled();
    expect(relay.drain).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(3000);
    // The other periods run meanwhile; the held one tried again at the next tick, then done.
    expect(estimates.run.mock.calls.map(([period]) => period)).toEqual([
      '2026-09',
      '2026-10',
      '2026-11',
      '2026-09',
    ]);
    expect(relay.drain).toHaveBeenCalledTimes(4);
    await scheduler.onModuleDestroy();
  });

  it("estimates a period's water the day after its window closes and electricity the day after its own, once each", async () => {
    // 2026-11-26 00:05 in Moscow: water's window of 2026-11 closed on the 25th, electricity's closes today.
    jest.useFakeTimers({ now: new Date('2026-11-26T00:05:00+03:00') });
    const estimates = {
      run: jest.fn().mockResolvedValue({ estimated: 0, missingNormative: [], pending: [] }),
    };
    const { scheduler } = estimatingScheduler(estimates);
    const runs = () => estimates.run.mock.calls.map(([period, now]) => [period, now.toISOString()]);
    scheduler.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(3000);
    // 2026-09 too: at start, the periods whose close it may have missed are checked once.
    expect(runs()).toEqual([
      ['2026-09', '2026-11-25T21:05:00.000Z'],
      ['2026-10', '2026-11-25T21:05:00.000Z'],
      ['2026-11', '2026-11-25T21:05:00.000Z'],
    ]);
    jest.setSystemTime(new Date('2026-11-27T00:00:30+03:00'));
    await jest.advanceTimersByTimeAsync(3000);
    expect(runs().slice(3)).toEqual([['2026-11', '2026-11-26T21:00:31.000Z']]);
    await scheduler.onModuleDestroy();
  });

  it('catches up, oldest first, the periods whose windows closed while it did not run, and counts them', async () => {
    // Up on 2026-09-27 in Moscow, then not running until 2026-11-27: the windows of 2026-10 and
    // 2026-11 closed meanwhile.
    jest.useFakeTimers({ now: new Date('2026-09-27T00:05:00+03:00') });
    const estimates = {
      run: jest.fn((period: string) =>
        Promise.resolve({
          estimated: period === '2026-10' ? 7 : 0,
          missingNormative: [],
          pending: [],
        }),
      ),
    };
    const logged = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const { scheduler } = estimatingScheduler(estimates);
    const periods = () => estimates.run.mock.calls.map(([period]) => period);
    const counted = async () =>
      (await metricsRegistry.getSingleMetric('billing_estimates_caught_up_total')?.get())?.values[0]
        ?.value ?? 0;
    const countedBefore = await counted();
    scheduler.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(3000);
    expect(periods().at(-1)).toBe('2026-09');
    const before = periods().length;
    jest.setSystemTime(new Date('2026-11-27T00:05:00+03:00'));
    await jest.advanceTimersByTimeAsync(3000);
    expect(periods().slice(before)).toEqual(['2026-10', '2026-11']);
    expect(logged).toHaveBeenCalledWith(
      expect.objectContaining({ msg: 'estimates caught up', period: '2026-10', estimated: 7 }),
    );
    expect((await counted()) - countedBefore).toBe(7);
    await scheduler.onModuleDestroy();
  });
});
