import type { INestApplication } from '@nestjs/common';
import { keyId, tokenKeyId } from '@gw/platform';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { type MailCatcher, startMailCatcher } from '../../scripts/mail-catcher';
import { uniqueAccount } from '../support/factories';
import { testDatabase } from '../support/infra';
import { lastCode, MINUTE, seedCharges, signUp, startCabinet, TestClock } from './cabinet-support';

const OLD = randomBytes(32).toString('hex');
const NEW = randomBytes(32).toString('hex');

/** The rotation of docs/security.md, for residents' session tokens, on instances sharing one database. */
describe('cabinet-api: rotating CABINET_SECRET', () => {
  const clock = new TestClock();
  let mail: MailCatcher;
  let db: DataSource;
  const instances: INestApplication[] = [];

  const start = async (current: string, previous?: string) => {
    const env: Record<string, string> = { CABINET_SECRET: current };
    if (previous) env.CABINET_SECRET_PREVIOUS = previous;
    const instance = await startCabinet(clock, mail.url, env);
    instances.push(instance);
    return instance;
  };
  const status = async (instance: INestApplication, token: string) =>
    (
      await request(instance.getHttpServer())
        .get('/v1/cabinet/accounts')
        .set('Authorization', `Bearer ${token}`)
    ).status;
  const signIn = async (instance: INestApplication, email: string) => {
    await request(instance.getHttpServer())
      .post('/v1/cabinet/sessions')
      .send({ email })
      .expect(202);
    const confirmed = await request(instance.getHttpServer())
      .post('/v1/cabinet/sessions/confirm')
      .send({ email, code: lastCode(mail, email) })
      .expect(200);
    return confirmed.body.token as string;
  };

  beforeAll(async () => {
    mail = await startMailCatcher();
    db = await testDatabase();
  });

  afterAll(async () => {
    for (const instance of instances) await instance.close();
    await mail?.close();
    await db?.destroy();
  });

  it('keeps residents signed in with the old key through the overlap, signs new sessions with the new key id, and refuses the old key once removed', async () => {
    const document = { accountNumber: uniqueAccount(), period: '2026-10', amountCharged: '812.40' };
    await seedCharges(db, [document]);
    const before = await start(OLD);
    const resident = await signUp(before, mail, document);
    expect(tokenKeyId(resident.token)).toBe(keyId(OLD));

    const introduced = await start(OLD, NEW);
    const during = await start(NEW, OLD);
    expect(await status(during, resident.token)).toBe(200);
    // Past the resend window of the registration code.
    clock.advance(2 * MINUTE);
    const newToken = await signIn(during, resident.email);
    expect(tokenKeyId(newToken)).toBe(keyId(NEW));
    expect(await status(introduced, newToken)).toBe(200);
    expect(await status(before, newToken)).toBe(401);

    const after = await start(NEW);
    expect(await status(after, newToken)).toBe(200);
    expect(await status(after, resident.token)).toBe(401);
  });
});
