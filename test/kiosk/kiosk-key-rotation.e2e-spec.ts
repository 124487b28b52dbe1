import type { INestApplication } from '@nestjs/common';
import { keyId } from '@gw/platform';
import { randomBytes, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { runCtlIn } from '../support/ctl';
import { testDatabase } from '../support/infra';
import { getSubmission, type Kiosk, startGateway } from './kiosk-harness';

const OLD = randomBytes(32).toString('hex');
const NEW = randomBytes(32).toString('hex');

/**
 * The rotation of KIOSK_SECRET_KEY in docs/security.md: the gateways take the new key with the
 * old one as previous, `ctl keys reseal-kiosk-secrets` moves every kiosk secret to the new key,
 * then the old key is removed.
 */
describe('kiosk-gateway: rotating KIOSK_SECRET_KEY', () => {
  let db: DataSource;
  const gateways: INestApplication[] = [];
  let kiosks = 0;

  const start = async (current: string, previous?: string) => {
    // Authentication is on the event loop; workers would only slow the start of each instance.
    const env: Record<string, string> = { KIOSK_SECRET_KEY: current, KIOSK_WORKER_THREADS: '0' };
    if (previous) env.KIOSK_SECRET_KEY_PREVIOUS = previous;
    const gateway = await startGateway(env);
    gateways.push(gateway);
    return gateway;
  };
  const ctl = <T>(current: string, previous: string | undefined, ...args: string[]) =>
    runCtlIn<T>(
      { ...process.env, KIOSK_SECRET_KEY: current, KIOSK_SECRET_KEY_PREVIOUS: previous },
      ...args,
    );
  const addKiosk = (key: string) => {
    kiosks += 1;
    return ctl<Kiosk>(key, undefined, 'kiosk', 'add', `K-ROT-${process.env.E2E_RUN_ID}-${kiosks}`);
  };
  /** 404 (no such submission) once the signature is proven, 401 when it is not. */
  const status = async (gateway: INestApplication, kiosk: Kiosk) =>
    (await getSubmission(gateway, kiosk, randomUUID())).status;
  const sealedWith = async (kiosk: Kiosk) => {
    const [row] = await db.query('SELECT sealed_secret FROM kiosks WHERE kiosk_id = $1', [
      kiosk.kioskId,
    ]);
    return (row.sealed_secret as string).split('.').slice(0, 2).join('.');
  };

  beforeAll(async () => {
    db = await testDatabase();
  });

  afterAll(async () => {
    for (const gateway of gateways) await gateway.close();
    await db?.destroy();
  });

  afterEach(() => {
    // A reseal that leaves kiosks it cannot open exits 1; that is asserted, not the run's result.
    process.exitCode = 0;
  });

  it('keeps kiosks signing in through the overlap, reseals their secrets with the new key id, and refuses a secret still sealed with the removed key', async () => {
    const before = await start(OLD);
    const kiosk = await addKiosk(OLD);
    expect(await sealedWith(kiosk)).toBe(`v2.${keyId(OLD)}`);
    expect(await status(before, kiosk)).toBe(404);

    const during = await start(NEW, OLD);
    expect(await status(during, kiosk)).toBe(404);

    const resealed = await ctl<Record<string, unknown>>(NEW, OLD, 'keys', 'reseal-kiosk-secrets');
    expect(resealed).toMatchObject({ keyId: keyId(NEW) });
    expect(resealed.resealed).toBeGreaterThanOrEqual(1);
    expect(await sealedWith(kiosk)).toBe(`v2.${keyId(NEW)}`);
    // Kiosks sealed by the rest of the run with the development key open with neither.
    expect(resealed.unopenable).not.toContain(kiosk.kioskId);
    expect(await status(during, kiosk)).toBe(404);

    // Sealed with the old key after the reseal, as by a ctl still configured with it.
    const late = await addKiosk(OLD);
    const after = await start(NEW);
    expect(await status(after, kiosk)).toBe(404);
    expect(await status(after, late)).toBe(401);

    const again = await ctl<Record<string, unknown>>(
      NEW,
      undefined,
      'keys',
      'reseal-kiosk-secrets',
    );
    expect(again.unopenable).toContain(late.kioskId);
    expect(again.unopenable).not.toContain(kiosk.kioskId);
    expect(process.exitCode).toBe(1);
    // Given a new secret, the kiosk signs in again.
    const reissued = await ctl<Kiosk>(NEW, undefined, 'kiosk', 'add', late.kioskId);
    expect(await status(after, reissued)).toBe(404);
  });
});
