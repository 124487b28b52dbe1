import { KIOSK_LIMITS } from '@gw/contracts';
import type { KioskRepository } from '../persistence/kiosk.repository';
import { NoncePurger } from './nonce-purger';

describe('NoncePurger', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-12-07T10:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it('deletes, every minute, only nonces expired a whole clock window ago by its own clock', async () => {
    const before: Date[] = [];
    const kiosks = {
      purgeNonces: async (cutoff: Date) => {
        before.push(cutoff);
        return 0;
      },
    } as unknown as KioskRepository;
    const purger = new NoncePurger(kiosks);
    purger.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(60_000);
    purger.onApplicationShutdown();
    await jest.advanceTimersByTimeAsync(60_000);

    // Another instance whose clock runs up to the window behind still refuses a replay.
    const windowMs = KIOSK_LIMITS.clockSkewSeconds * 1000;
    expect(before).toEqual([new Date(Date.parse('2026-12-07T10:01:00Z') - windowMs)]);
  });
});
