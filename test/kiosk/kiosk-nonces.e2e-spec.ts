import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { KioskRepository } from '../../apps/kiosk-gateway/src/persistence/kiosk.repository';
import { testDatabase } from '../support/infra';
import { addKiosk, getSubmission, type Kiosk, nonce, startGateway } from './kiosk-harness';

/** The nonce store every gateway instance shares, on the real database. */
describe('KioskRepository.claimNonces', () => {
  let db: DataSource;
  let kiosks: KioskRepository;
  const now = new Date('2026-11-20T10:00:00Z');
  const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);

  beforeAll(async () => {
    db = await testDatabase();
    kiosks = new KioskRepository(db);
  });

  afterAll(async () => {
    await db?.destroy();
  });

  it('answers each claim of one statement in order, a nonce repeated in it fresh only once', async () => {
    const [a, b] = [nonce(), nonce()];
    const claims = [
      { kioskId: 'K-NONCE-1', nonce: a, expiresAt: later(600) },
      { kioskId: 'K-NONCE-1', nonce: b, expiresAt: later(600) },
      { kioskId: 'K-NONCE-1', nonce: a, expiresAt: later(600) },
      { kioskId: 'K-NONCE-2', nonce: a, expiresAt: later(600) },
    ];
    await expect(kiosks.claimNonces(claims, now)).resolves.toEqual([true, true, false, true]);
  });

  it('refuses a nonce claimed before until it expires, then lets it be claimed again', async () => {
    const used = { kioskId: 'K-NONCE-3', nonce: nonce(), expiresAt: later(300) };
    await expect(kiosks.claimNonces([used], now)).resolves.toEqual([true]);
    const again = { ...used, expiresAt: later(900) };
    await expect(kiosks.claimNonces([again], later(299))).resolves.toEqual([false]);
    await expect(kiosks.claimNonces([again], later(300))).resolves.toEqual([true]);
    await expect(kiosks.claimNonces([used], later(600))).resolves.toEqual([false]);
  });

  it('claims a fresh nonce next to a used one in the same statement', async () => {
    const used = { kioskId: 'K-NONCE-4', nonce: nonce(), expiresAt: later(300) };
    await kiosks.claimNonces([used], now);
    const fresh = { ...used, nonce: nonce() };
    await expect(kiosks.claimNonces([used, fresh], now)).resolves.toEqual([false, true]);
  });
});

describe('kiosk-gateway: a nonce is refused for as long as its timestamp is accepted', () => {
  let gateway: INestApplication;
  let kiosk: Kiosk;

  beforeAll(async () => {
    gateway = await startGateway({ KIOSK_WORKER_THREADS: '0' });
    kiosk = await addKiosk('K-NONCE');
  });

  afterAll(async () => {
    await gateway?.close();
  });

  it('refuses a replay up to the last millisecond of the clock window, then refuses the timestamp', async () => {
    const timestamp = Math.floor(Date.now() / 1000);
    const signed = { timestamp: String(timestamp), nonce: nonce() };
    const submissionId = randomUUID();
    const clock = jest.spyOn(Date, 'now');
    const at = (nowMs: number) => {
      clock.mockReturnValue(nowMs);
      return getSubmission(gateway, kiosk, submissionId, signed);
    };
    try {
      // From a kiosk whose clock is ahead: the server's has not reached the timestamp yet.
      expect((await at(timestamp * 1000 - 1)).status).toBe(404);
      for (const nowMs of [(timestamp + 300) * 1000, (timestamp + 301) * 1000 - 1]) {
        const replay = await at(nowMs);
        expect([replay.status, replay.body.message]).toEqual([
          401,
          'X-Nonce was already used: sign every request anew',
        ]);
      }
      const late = await at((timestamp + 301) * 1000);
      expect([late.status, late.body.message]).toEqual([
        401,
        'X-Timestamp is more than 300 s away from the server clock',
      ]);
    } finally {
      clock.mockRestore();
    }
  });
});
