import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { CabinetRetention } from '../../apps/cabinet-api/src/retention/cabinet-retention.service';
import { type MailCatcher, startMailCatcher } from '../../scripts/mail-catcher';
import { runCtl } from '../support/ctl';
import { uniqueAccount } from '../support/factories';
import { testDatabase } from '../support/infra';
import { tokenClaims } from '../support/tokens';
import {
  lastCode,
  MINUTE,
  type Resident,
  seedCharges,
  signIn,
  signUp,
  startCabinet,
  TestClock,
  TODAY,
} from './cabinet-support';

describe('cabinet-api: logging out and revoking residents’ sessions', () => {
  const clock = new TestClock();
  let mail: MailCatcher;
  let db: DataSource;
  let app: INestApplication;
  /** A second instance on the same database and secret, as behind a balancer. */
  let replica: INestApplication;

  const accounts = (instance: INestApplication, token: string) =>
    request(instance.getHttpServer())
      .get('/v1/cabinet/accounts')
      .set('Authorization', `Bearer ${token}`);
  const status = async (instance: INestApplication, token: string) =>
    (await accounts(instance, token)).status;
  const logout = (instance: INestApplication, token: string) =>
    request(instance.getHttpServer())
      .delete('/v1/cabinet/sessions/current')
      .set('Authorization', `Bearer ${token}`);

  /** A resident with a cabinet, signed in on two devices: the registration and a later sign-in. */
  async function residentWithTwoSessions(): Promise<Resident & { second: string }> {
    const accountNumber = uniqueAccount();
    await seedCharges(db, [{ accountNumber, period: '2026-10', amountCharged: '4598.70' }]);
    const resident = await signUp(app, mail, {
      accountNumber,
      period: '2026-10',
      amountCharged: '4598.70',
    });
    // Past the resend window of the registration code.
    clock.advance(2 * MINUTE);
    return { ...resident, second: await signIn(app, mail, resident.email) };
  }

  beforeAll(async () => {
    mail = await startMailCatcher();
    db = await testDatabase();
    app = await startCabinet(clock, mail.url);
    replica = await startCabinet(clock, mail.url);
  });

  afterAll(async () => {
    await replica?.close();
    await app?.close();
    await mail?.close();
    await db?.destroy();
  });

  beforeEach(() => clock.set(TODAY));

  it('refuses a token after DELETE /v1/cabinet/sessions/current on every instance, while the resident’s other session goes on', async () => {
    const resident = await residentWithTwoSessions();
    expect(
      await Promise.all([status(app, resident.token), status(replica, resident.token)]),
    ).toEqual([200, 200]);

    await logout(app, resident.token).expect(204);

    const refused = await accounts(replica, resident.token).expect(401);
    expect(refused.body.message).toBe(
      'a valid session token is required: Authorization: Bearer <token>',
    );
    expect(await status(app, resident.token)).toBe(401);
    await logout(replica, resident.token).expect(401);
    expect(
      await Promise.all([status(app, resident.second), status(replica, resident.second)]),
    ).toEqual([200, 200]);

    const [revoked] = await db.query(
      'SELECT realm, expires_at FROM revoked_sessions WHERE session_id = $1',
      [tokenClaims(resident.token).sid],
    );
    expect(revoked).toEqual({
      realm: 'resident',
      expires_at: new Date(tokenClaims(resident.token).exp * 1000),
    });
  });

  it('answers 401 to a logout without a token', async () => {
    await request(app.getHttpServer()).delete('/v1/cabinet/sessions/current').expect(401);
  });

  it('ends every session of a resident on `ctl resident revoke`; they can sign in again', async () => {
    const resident = await residentWithTwoSessions();
    expect(await runCtl('resident', 'revoke', `  ${resident.email.toUpperCase()} `)).toEqual({
      email: resident.email,
      revoked: true,
    });
    for (const token of [resident.token, resident.second])
      expect(await Promise.all([status(app, token), status(replica, token)])).toEqual([401, 401]);

    clock.advance(2 * MINUTE);
    await request(replica.getHttpServer())
      .post('/v1/cabinet/sessions')
      .send({ email: resident.email })
      .expect(202);
    const again = await request(replica.getHttpServer())
      .post('/v1/cabinet/sessions/confirm')
      .send({ email: resident.email, code: lastCode(mail, resident.email) })
      .expect(200);
    expect(await status(app, again.body.token)).toBe(200);

    await expect(runCtl('resident', 'revoke', 'nobody-here@example.ru')).rejects.toThrow(
      'no resident with this e-mail',
    );
    await expect(runCtl('resident', 'revoke', 'not an address')).rejects.toThrow(
      "argument 'email'. must be an e-mail address",
    );
  });

  it('forgets a logged-out session once its token would have expired anyway', async () => {
    const resident = await residentWithTwoSessions();
    await logout(app, resident.token).expect(204);
    const stored = () =>
      db.query('SELECT count(*)::int AS n FROM revoked_sessions WHERE session_id = $1', [
        tokenClaims(resident.token).sid,
      ]);
    await app.get(CabinetRetention).sweep();
    expect(await stored()).toEqual([{ n: 1 }]);

    clock.set(new Date(tokenClaims(resident.token).exp * 1000 + 1000).toISOString());
    expect((await app.get(CabinetRetention).sweep()).revokedSessions).toBeGreaterThanOrEqual(1);
    expect(await stored()).toEqual([{ n: 0 }]);
    expect(await status(app, resident.token)).toBe(401);
  });
});
