import type { INestApplication } from '@nestjs/common';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { KIOSK_SECRET_CACHE_MS } from '../../apps/kiosk-gateway/src/auth/kiosk-authenticator';
import { createOperator, login, startBackoffice } from '../backoffice/backoffice-app';
import { addKiosk, getSubmission, type Kiosk, startGateway } from '../kiosk/kiosk-harness';
import {
  addScanningCentre,
  basic,
  type ScanningCentreLogin,
  startSlipIngest,
} from '../slips/slip-harness';
import { runCtl } from '../support/ctl';
import { testDatabase } from '../support/infra';
import {
  addTerminal,
  startTerminalGateway,
  type TerminalCredentials,
} from '../terminal/support/terminal-gateway';

const ROOT = resolve(__dirname, '..', '..');

/** "At the next request", as measured here: one round trip, with room for a busy machine. */
const NEXT_REQUEST_MS = 1000;

/** Polls `status` every 200 ms (within a kiosk's request rate) until it is `expected`; returns how long that took. */
async function msUntil(status: () => Promise<number>, expected: number, limitMs: number) {
  const started = Date.now();
  let last = await status();
  while (last !== expected) {
    if (Date.now() - started > limitMs)
      throw new Error(`still ${last}, not ${expected}, after ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
    last = await status();
  }
  return Date.now() - started;
}

/** The CLI as an operator runs it, in a process of its own, so that its exit code is seen. */
function ctlProcess(...args: string[]) {
  return promisify(execFile)(
    process.execPath,
    ['scripts/run-ts.js', 'apps/ctl/src/main.ts', ...args],
    {
      cwd: ROOT,
      env: process.env,
    },
  );
}

describe('ctl disable and enable, seen by every instance of each edge', () => {
  let db: DataSource;

  beforeAll(async () => {
    db = await testDatabase();
  });

  afterAll(async () => {
    await db?.destroy();
  });

  const audited = (subject: string) =>
    db.query(
      `SELECT operator_login, operator_role, action, before, after FROM audit_log
        WHERE subject = $1 ORDER BY id`,
      [subject],
    );

  describe('kiosks', () => {
    let first: INestApplication;
    let second: INestApplication;
    let kiosk: Kiosk;

    beforeAll(async () => {
      [first, second] = [await startGateway(), await startGateway()];
      kiosk = await addKiosk('K-OFF');
    });

    afterAll(async () => {
      await first?.close();
      await second?.close();
    });

    /** A signed receipt lookup of an unknown submission: 404 once the kiosk is let in, else 401. */
    const status = (app: INestApplication) => async () =>
      (await getSubmission(app, kiosk, randomUUID())).status;

    it(`refuses a disabled kiosk on an instance that had its secret cached within ${KIOSK_SECRET_CACHE_MS} ms, and lets it in again once enabled`, async () => {
      expect(await status(second)()).toBe(404);

      expect(await runCtl('kiosk', 'disable', kiosk.kioskId)).toEqual({
        kioskId: kiosk.kioskId,
        disabled: true,
      });
      const refused = await getSubmission(first, kiosk, randomUUID()).expect(401);
      expect(refused.body.message).toBe('unknown kiosk or wrong signature');
      expect(await msUntil(status(second), 401, KIOSK_SECRET_CACHE_MS + 2000)).toBeLessThanOrEqual(
        KIOSK_SECRET_CACHE_MS + 500,
      );

      expect(await runCtl('kiosk', 'enable', kiosk.kioskId)).toEqual({
        kioskId: kiosk.kioskId,
        disabled: false,
      });
      expect(await msUntil(status(second), 404, NEXT_REQUEST_MS)).toBeLessThan(NEXT_REQUEST_MS);
      expect(await status(first)()).toBe(404);

      expect(await audited(`kiosk:${kiosk.kioskId}`)).toEqual([
        {
          operator_login: 'ctl',
          operator_role: 'ctl',
          action: 'kiosk.disable',
          before: { disabled: false },
          after: { disabled: true },
        },
        {
          operator_login: 'ctl',
          operator_role: 'ctl',
          action: 'kiosk.enable',
          before: { disabled: true },
          after: { disabled: false },
        },
      ]);
    });

    it('keeps a kiosk disabled when it is given a new secret, and names an unknown one', async () => {
      const other = await addKiosk('K-OFF');
      await runCtl('kiosk', 'disable', other.kioskId);
      const renewed = await runCtl<Kiosk>('kiosk', 'add', other.kioskId);
      await getSubmission(first, renewed, randomUUID()).expect(401);
      await expect(runCtl('kiosk', 'disable', 'K-NOBODY')).rejects.toThrow('no kiosk K-NOBODY');
    });
  });

  describe('payment terminals', () => {
    let first: INestApplication;
    let second: INestApplication;
    let terminal: TerminalCredentials;

    beforeAll(async () => {
      [first, second] = [await startTerminalGateway(), await startTerminalGateway()];
      terminal = await addTerminal(`T-OFF-${process.env.E2E_RUN_ID}`);
    });

    afterAll(async () => {
      await first?.close();
      await second?.close();
    });

    const check = (app: INestApplication) =>
      request(app.getHttpServer())
        .get('/v1/terminal/osmp')
        .query({ command: 'check', txn_id: '1', account: '0000000001', sum: '0' })
        .set('Authorization', basic(terminal));
    const status = (app: INestApplication) => async () => (await check(app)).status;

    it('refuses a disabled terminal at its next request on every instance (HTTP 401, result 300), and lets it in again once enabled', async () => {
      expect(await status(first)()).toBe(200);
      expect(await status(second)()).toBe(200);

      expect(await runCtl('terminal', 'disable', terminal.terminalId)).toEqual({
        terminalId: terminal.terminalId,
        disabled: true,
      });
      for (const app of [first, second]) {
        const refused = await check(app).expect(401);
        expect(refused.text).toContain('<result>300</result>');
      }

      await runCtl('terminal', 'enable', terminal.terminalId);
      for (const app of [first, second])
        expect(await msUntil(status(app), 200, NEXT_REQUEST_MS)).toBeLessThan(NEXT_REQUEST_MS);
      expect(
        (await audited(`terminal:${terminal.terminalId}`)).map((r: { action: string }) => r.action),
      ).toEqual(['terminal.disable', 'terminal.enable']);
    });

    it('refuses `terminal add` with both --allow-ip and --allow-any; without either it warns and opens the terminal', async () => {
      const terminalId = `T-OPEN-${process.env.E2E_RUN_ID}`;
      await expect(
        ctlProcess('terminal', 'add', terminalId, '--allow-any', '--allow-ip', '10.0.0.1'),
      ).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringMatching(/^error: give either/),
      });
      expect(
        await db.query('SELECT 1 FROM terminals WHERE terminal_id = $1', [terminalId]),
      ).toEqual([]);
      const unnamed = await ctlProcess('terminal', 'add', terminalId);
      expect(JSON.parse(unnamed.stdout)).toMatchObject({ terminalId, login: terminalId });
      expect(unnamed.stderr).toMatch(
        /warning: terminal .* has no allow-list: the terminal gateway refuses it outside development mode/,
      );
      const [unlisted] = await db.query(
        'SELECT allowed_ips, allow_any_ip FROM terminals WHERE terminal_id = $1',
        [terminalId],
      );
      expect(unlisted).toEqual({ allowed_ips: [], allow_any_ip: false });

      const { stdout } = await ctlProcess('terminal', 'add', terminalId, '--allow-any');
      const open = JSON.parse(stdout) as TerminalCredentials;
      const [row] = await db.query(
        'SELECT allowed_ips, allow_any_ip FROM terminals WHERE terminal_id = $1',
        [terminalId],
      );
      expect(row).toEqual({ allowed_ips: [], allow_any_ip: true });
      await request(first.getHttpServer())
        .get('/v1/terminal/osmp')
        .query({ command: 'check', txn_id: '2', account: '0000000001', sum: '0' })
        .set('Authorization', basic(open))
        .expect(200);
    });
  });

  describe('scanning centres', () => {
    let first: INestApplication;
    let second: INestApplication;
    let centre: ScanningCentreLogin;

    beforeAll(async () => {
      [first, second] = [await startSlipIngest(), await startSlipIngest()];
      centre = await addScanningCentre();
    });

    afterAll(async () => {
      await first?.close();
      await second?.close();
    });

    /** The status of a batch never sent: 404 once the centre is let in, else 401. */
    const status = (app: INestApplication) => async () =>
      (
        await request(app.getHttpServer())
          .get(`/v1/slips/batches/NEVER-${randomUUID()}`)
          .set('Authorization', basic(centre))
      ).status;

    it('refuses a disabled scanning centre at its next request on every instance, and lets it in again once enabled', async () => {
      expect(await status(first)()).toBe(404);
      expect(await status(second)()).toBe(404);

      expect(await runCtl('scanner', 'disable', centre.centreId)).toEqual({
        centreId: centre.centreId,
        disabled: true,
      });
      expect([await status(first)(), await status(second)()]).toEqual([401, 401]);
      const upload = await request(second.getHttpServer())
        .post('/v1/slips/batches')
        .set('Authorization', basic(centre))
        .set('X-Batch-Id', `OFF-${process.env.E2E_RUN_ID}`)
        .set('Content-Type', 'text/csv')
        .send('slip_id;qr_payload;meter_serial;zone;value;confidence;image_ref\n')
        .expect(401);
      expect(upload.headers['www-authenticate']).toMatch(/^Basic realm="slip-ingest"/);
      // The answer to a wrong password: it does not tell that the password was right.
      expect(upload.body.message).toBe('wrong scanning centre login or password');

      expect(await runCtl('scanner', 'enable', centre.centreId)).toEqual({
        centreId: centre.centreId,
        disabled: false,
      });
      for (const app of [first, second])
        expect(await msUntil(status(app), 404, NEXT_REQUEST_MS)).toBeLessThan(NEXT_REQUEST_MS);
      expect(
        (await audited(`scanner:${centre.centreId}`)).map((r: { action: string }) => r.action),
      ).toEqual(['scanner.disable', 'scanner.enable']);
    });
  });

  describe('operators', () => {
    let app: INestApplication;

    beforeAll(async () => {
      app = await startBackoffice();
    });

    afterAll(async () => {
      await app?.close();
    });

    const status = async (token: string) =>
      (
        await request(app.getHttpServer())
          .get(`/v1/submissions/${randomUUID()}`)
          .set('Authorization', `Bearer ${token}`)
      ).status;

    it('refuses a disabled operator at sign-in as for a wrong password and ends their sessions; enable lets them sign in again', async () => {
      const operator = await createOperator(db, 'supervisor');
      const session = await login(app, operator);
      expect(await status(session)).toBe(404);

      expect(await runCtl('operator', 'disable', operator.login)).toEqual({
        login: operator.login,
        disabled: true,
      });
      expect(await status(session)).toBe(401);
      const refused = await request(app.getHttpServer())
        .post('/v1/auth/login')
        .send(operator)
        .expect(401);
      expect(refused.body).toEqual({
        statusCode: 401,
        error: 'INVALID_CREDENTIALS',
        message: 'wrong login or password',
      });

      // A password reset does not enable them, nor does `operator revoke`.
      const reset = await runCtl<{ login: string; password: string }>(
        'operator',
        'add',
        operator.login,
        '--role',
        'supervisor',
      );
      await runCtl('operator', 'revoke', operator.login);
      await request(app.getHttpServer()).post('/v1/auth/login').send(reset).expect(401);

      expect(await runCtl('operator', 'enable', operator.login)).toEqual({
        login: operator.login,
        disabled: false,
      });
      expect(await status(session)).toBe(401);
      expect(await status(await login(app, reset))).toBe(404);
      expect(await audited(`operator:${operator.login}`)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ operator_login: 'ctl', action: 'operator.disable' }),
          expect.objectContaining({ operator_login: 'ctl', action: 'operator.enable' }),
        ]),
      );
      await expect(runCtl('operator', 'enable', 'nobody-here')).rejects.toThrow(
        'no operator nobody-here',
      );
    });

    it('disables, enables and ends the sessions of an operator named in another case', async () => {
      const operator = await createOperator(db, 'operator');
      const typed = operator.login.toUpperCase();
      const session = await login(app, operator);

      expect(await runCtl('operator', 'disable', typed)).toEqual({ login: typed, disabled: true });
      expect(await status(session)).toBe(401);
      await request(app.getHttpServer()).post('/v1/auth/login').send(operator).expect(401);
      await runCtl('operator', 'enable', typed);
      const again = await login(app, operator);
      expect(await status(again)).toBe(404);
      await runCtl('operator', 'revoke', typed);
      expect(await status(again)).toBe(401);
      expect(await audited(`operator:${operator.login}`)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ action: 'operator.disable' }),
          expect.objectContaining({ action: 'operator.enable' }),
        ]),
      );
    });
  });
});
