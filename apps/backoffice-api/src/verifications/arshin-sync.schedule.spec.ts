import { Logger } from '@nestjs/common';
import { HeldElsewhere } from '@gw/persistence';
import { loadConfig } from '@gw/platform';
import type { VerificationSync } from '@gw/runtime';
import { BackofficeEnv } from '../backoffice.env';
import { ArshinSyncSchedule } from './arshin-sync.schedule';

const env = (settings: Record<string, string> = {}) =>
  loadConfig(BackofficeEnv, { GATEWAY_MODE: 'development', ...settings });

function schedule(settings: Record<string, string> = {}) {
  const run = jest.fn().mockResolvedValue(null);
  const sync = { run } as unknown as VerificationSync;
  return { run, schedule: new ArshinSyncSchedule(sync, env(settings)) };
}

describe('ArshinSyncSchedule', () => {
  afterEach(() => jest.useRealTimers());

  it('is off by default', async () => {
    jest.useFakeTimers();
    const { run, schedule: off } = schedule();
    off.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(7 * 24 * 3600 * 1000);
    expect(run).not.toHaveBeenCalled();
  });

  it('looks up the meters due within ARSHIN_SYNC_DUE_WITHIN_DAYS every ARSHIN_SYNC_INTERVAL_MINUTES', async () => {
    jest.useFakeTimers({ now: new Date('2026-12-05T12:00:00Z') });
    const { run, schedule: on } = schedule({
      ARSHIN_SYNC_INTERVAL_MINUTES: '60',
      ARSHIN_SYNC_DUE_WITHIN_DAYS: '10',
    });
    on.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(59 * 60000);
    expect(run).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(60000);
    expect(run).toHaveBeenCalledWith(
      { dueBy: '2026-12-15' },
      { login: 'arshin-sync', role: 'system' },
    );
    await jest.advanceTimersByTimeAsync(60 * 60000);
    expect(run).toHaveBeenCalledTimes(2);
    await on.onApplicationShutdown();
  });

  it('skips its turn while another instance syncs, and syncs at the next', async () => {
    jest.useFakeTimers({ now: new Date('2026-12-05T12:00:00Z') });
    const { run, schedule: on } = schedule({ ARSHIN_SYNC_INTERVAL_MINUTES: '60' });
    run.mockRejectedValueOnce(new HeldElsewhere('arshin sync'));
    const warned = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const logged = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    on.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(60 * 60000);
    expect(logged).toHaveBeenCalledWith({
      msg: 'scheduled Arshin sync skipped: another instance is syncing',
    });
    expect(warned).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(60 * 60000);
    expect(run).toHaveBeenCalledTimes(2);
    await on.onApplicationShutdown();
    warned.mockRestore();
    logged.mockRestore();
  });

  it('passes on a run that failed for another reason', async () => {
    const { run, schedule: on } = schedule();
    run.mockRejectedValueOnce(new Error('connection refused'));
    await expect(on.runNow()).rejects.toThrow('connection refused');
  });

  it.each([
    ['ARSHIN_SYNC_INTERVAL_MINUTES', '-1'],
    ['ARSHIN_SYNC_INTERVAL_MINUTES', 'hourly'],
    ['ARSHIN_SYNC_DUE_WITHIN_DAYS', '10000'],
  ])('refuses %s=%p at boot', (name, value) => {
    expect(() => env({ [name]: value })).toThrow(name);
  });
});
