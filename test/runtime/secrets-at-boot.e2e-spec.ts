import { DEVELOPMENT_SECRETS } from '@gw/platform';
import { randomBytes } from 'node:crypto';
import {
  type BuiltApp,
  buildOnce,
  runUntilExit,
  startBuiltApp,
  stopBuiltApp,
  untilReady,
} from '../support/built-app';
import { runCtl, runCtlIn } from '../support/ctl';

/** Each app that needs a secret, its secret variable and its port variable. */
const APPS = [
  ['kiosk-gateway', 'KIOSK_SECRET_KEY', 'KIOSK_GATEWAY_PORT'],
  ['cabinet-api', 'CABINET_SECRET', 'CABINET_API_PORT'],
  ['backoffice-api', 'BACKOFFICE_TOKEN_SECRET', 'BACKOFFICE_API_PORT'],
] as const;
type SecretName = (typeof APPS)[number][1];

/** The tests run in development mode; these runs are as in production, where it is not set. */
const OUTSIDE_DEVELOPMENT = {
  GATEWAY_MODE: undefined,
  KIOSK_SECRET_KEY: undefined,
  CABINET_SECRET: undefined,
  BACKOFFICE_TOKEN_SECRET: undefined,
  BACKOFFICE_COOKIE_SECURE: 'false',
};

const DEVELOPMENT_WARNING =
  'GATEWAY_MODE=development: keys that are not set are the development keys';

const ownKey = () => randomBytes(32).toString('hex');

/**
 * Secrets fail closed: outside GATEWAY_MODE=development an app boots only with each secret it
 * needs, set to a value of its own; the message names the variable and never shows a value.
 */
describe('secrets at boot, outside development mode', () => {
  const started: BuiltApp[] = [];

  beforeAll(() => buildOnce(), 240_000);

  afterAll(async () => {
    for (const app of started) await stopBuiltApp(app);
  });

  it.each(APPS)('%s refuses to boot without %s, naming it', async (app, secret, port) => {
    const { code, stderr } = await runUntilExit(app, { ...OUTSIDE_DEVELOPMENT, [port]: '0' });
    expect(code).toBe(1);
    expect(stderr).toContain(`${secret} is not set: it is required outside development mode`);
    // One JSON line, not an uncaught exception with its stack.
    const fatal = stderr.split('\n').filter((line) => line.includes(`${secret} is not set`));
    expect(fatal).toHaveLength(1);
    expect(JSON.parse(fatal[0])).toMatchObject({ level: 'fatal', context: app });
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it.each(APPS)(
    '%s refuses the published development value of %s, as the current or the previous key, without showing it',
    async (app, secret, port) => {
      const published = DEVELOPMENT_SECRETS[secret as SecretName];
      for (const [current, previous] of [
        [published, undefined],
        [ownKey(), published],
      ]) {
        const { code, stderr } = await runUntilExit(app, {
          ...OUTSIDE_DEVELOPMENT,
          [port]: '0',
          [secret]: current,
          [`${secret}_PREVIOUS`]: previous,
        });
        expect(code).toBe(1);
        const slot = previous ? `${secret}_PREVIOUS` : secret;
        expect(stderr).toContain(`${slot} is a development key published with the code`);
        expect(stderr).not.toContain(published);
        if (previous) expect(stderr).not.toContain(current);
      }
    },
  );

  it('GATEWAY_MODE=production is the same as no mode, and an unknown mode is refused', async () => {
    const production = await runUntilExit('cabinet-api', {
      ...OUTSIDE_DEVELOPMENT,
      CABINET_API_PORT: '0',
      GATEWAY_MODE: 'production',
    });
    expect(production.stderr).toContain('CABINET_SECRET is not set');
    const unknown = await runUntilExit('cabinet-api', {
      ...OUTSIDE_DEVELOPMENT,
      CABINET_API_PORT: '0',
      GATEWAY_MODE: 'dev',
    });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('GATEWAY_MODE must be production or development');
    expect(unknown.stderr).toContain('CABINET_SECRET is not set');
  });

  it.each(APPS)('%s boots and becomes ready with a key of its own', async (app, secret, port) => {
    const booted = await startBuiltApp(app, port, {
      GATEWAY_MODE: 'production',
      BACKOFFICE_COOKIE_SECURE: 'false',
      [secret]: ownKey(),
    });
    started.push(booted);
    await untilReady(booted);
    expect(booted.logs.map((line) => String(line.message))).not.toContainEqual(
      expect.stringContaining(DEVELOPMENT_WARNING),
    );
  });

  it('an app in development mode says so in its log', async () => {
    const booted = await startBuiltApp('kiosk-gateway', 'KIOSK_GATEWAY_PORT');
    started.push(booted);
    await untilReady(booted);
    expect(booted.logs.map((line) => String(line.message))).toContainEqual(
      expect.stringContaining(DEVELOPMENT_WARNING),
    );
  });

  it('ctl seals kiosk secrets only with a key of its own outside development mode; its other commands need none', async () => {
    const env = { ...process.env, GATEWAY_MODE: 'production', KIOSK_SECRET_KEY: undefined };
    const kioskId = `K-SECRETS-${process.env.E2E_RUN_ID}`;
    await expect(runCtlIn(env, 'kiosk', 'add', kioskId)).rejects.toThrow(
      'KIOSK_SECRET_KEY is not set',
    );
    await expect(
      runCtlIn(
        { ...env, KIOSK_SECRET_KEY: DEVELOPMENT_SECRETS.KIOSK_SECRET_KEY },
        'kiosk',
        'add',
        kioskId,
      ),
    ).rejects.toThrow('KIOSK_SECRET_KEY is a development key published with the code');
    expect(await runCtlIn(env, 'keys', 'generate')).toEqual({
      key: expect.stringMatching(/^[0-9a-f]{64}$/),
      keyId: expect.stringMatching(/^[\w-]{8}$/),
    });
    expect(
      await runCtlIn({ ...env, KIOSK_SECRET_KEY: ownKey() }, 'kiosk', 'add', kioskId),
    ).toMatchObject({ kioskId });
    // In development mode the same command seals with the published key.
    expect(await runCtl('kiosk', 'add', `${kioskId}-DEV`)).toMatchObject({
      kioskId: `${kioskId}-DEV`,
    });
  });
});
