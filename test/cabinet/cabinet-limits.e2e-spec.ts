import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { type MailCatcher, startMailCatcher } from '../../scripts/mail-catcher';
import { uniqueAccount } from '../support/factories';
import { testDatabase } from '../support/infra';
import {
  lastCode,
  MINUTE,
  type Resident,
  seedCharges,
  signUp,
  startCabinet,
  TestClock,
  TODAY,
  uniqueEmail,
  uniqueIp,
  uniquePhone,
} from './cabinet-support';

const PER_ACCOUNT = 5;
const PER_RESIDENT = 7;
const CODES_PER_IP = 4;
const CONFIRMS_PER_ADDRESS = 8;

/** Limits that must hold under concurrency and across addresses (ASVS 2.2.1). */
describe('cabinet-api: race-free limits', () => {
  const clock = new TestClock();
  let mail: MailCatcher;
  let db: DataSource;
  let app: INestApplication;
  const http = () => request(app.getHttpServer());

  async function chargedAccount(): Promise<string> {
    const accountNumber = uniqueAccount();
    await seedCharges(db, [{ accountNumber, period: '2026-10', amountCharged: '4598.70' }]);
    return accountNumber;
  }
  const document = (accountNumber: string, amountCharged = '4598.70') => ({
    accountNumber,
    period: '2026-10',
    amountCharged,
  });
  const mailedTo = (email: string) => mail.messages.filter((m) => m.to.includes(email)).length;

  beforeAll(async () => {
    mail = await startMailCatcher();
    db = await testDatabase();
    app = await startCabinet(clock, mail.url, {
      CABINET_CHECK_FAILURES_PER_ACCOUNT: String(PER_ACCOUNT),
      CABINET_CHECK_FAILURES_PER_IP: '1000',
      CABINET_LINK_CHECKS_PER_RESIDENT: String(PER_RESIDENT),
      CABINET_CODES_PER_IP_PER_HOUR: String(CODES_PER_IP),
      CABINET_CODE_CONFIRMS_PER_ADDRESS_PER_HOUR: String(CONFIRMS_PER_ADDRESS),
    });
  });

  afterAll(async () => {
    await app?.close();
    await mail?.close();
    await db?.destroy();
  });

  beforeEach(() => clock.set(TODAY));

  it('counts 50 concurrent wrong registrations for one account, from 50 addresses, against its limit', async () => {
    const accountNumber = await chargedAccount();
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        http()
          .post('/v1/cabinet/registrations')
          .set('X-Forwarded-For', uniqueIp())
          .send({
            ...document(accountNumber, `${100 + i}.00`),
            email: uniqueEmail(),
            phone: uniquePhone(),
          }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 422)).toHaveLength(PER_ACCOUNT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(50 - PER_ACCOUNT);
    // The right document is refused too until the window has passed.
    await http()
      .post('/v1/cabinet/registrations')
      .set('X-Forwarded-For', uniqueIp())
      .send({ ...document(accountNumber), email: uniqueEmail(), phone: uniquePhone() })
      .expect(429);
  });

  it('counts 50 concurrent wrong links of one account by signed-in residents against the same limit', async () => {
    // Ten residents, five tries each: below their own limit, so only the account's applies.
    const residents: Resident[] = [];
    for (let i = 0; i < 10; i += 1)
      residents.push(await signUp(app, mail, document(await chargedAccount())));
    const target = await chargedAccount();
    const link = (amountCharged: string, i = 0) =>
      http()
        .post('/v1/cabinet/accounts')
        .set(residents[i % residents.length].auth)
        .set('X-Forwarded-For', uniqueIp())
        .send(document(target, amountCharged));
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => link(`${200 + i}.00`, i)),
    );
    expect(answers.filter((a) => a.status === 422)).toHaveLength(PER_ACCOUNT);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(50 - PER_ACCOUNT);
    await link('4598.70').expect(429);
    const [{ linked }] = await db.query(
      `SELECT count(*)::int AS linked FROM resident_accounts WHERE account_number = $1`,
      [target],
    );
    expect(linked).toBe(0);
  });

  it('limits the accounts one signed-in resident may try to link, whatever the accounts and addresses', async () => {
    const resident = await signUp(app, mail, document(await chargedAccount()));
    const link = (accountNumber: string) =>
      http()
        .post('/v1/cabinet/accounts')
        .set(resident.auth)
        .set('X-Forwarded-For', uniqueIp())
        .send(document(accountNumber, '1.00'));
    const answers = await Promise.all(
      Array.from({ length: 20 }, async () => link(await chargedAccount())),
    );
    expect(answers.filter((a) => a.status === 422)).toHaveLength(PER_RESIDENT);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(20 - PER_RESIDENT);
  });

  it('mails one code for a flood of sign-in requests to one address', async () => {
    const email = uniqueEmail();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        http().post('/v1/cabinet/sessions').set('X-Forwarded-For', uniqueIp()).send({ email }),
      ),
    );
    expect(answers.filter((a) => a.status === 202)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(19);
    expect(mailedTo(email)).toBe(1);
  });

  /** A new IPv6 /64 of the documentation range, and the next address of it at each call. */
  const ipv6Block = () => {
    const block = `2001:db8:${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}`;
    let host = 0;
    return () => `${block}::${(host += 1).toString(16)}`;
  };

  it.each<[string, () => () => string]>([
    [
      'one client IP',
      () => {
        const ip = uniqueIp();
        return () => ip;
      },
    ],
    ['the addresses of one IPv6 /64', ipv6Block],
  ])('caps the codes %s can have mailed, whatever the e-mail addresses', async (_, client) => {
    const nextIp = client();
    const emails = Array.from({ length: 12 }, () => uniqueEmail());
    const answers = await Promise.all(
      emails.map((email) =>
        http().post('/v1/cabinet/sessions').set('X-Forwarded-For', nextIp()).send({ email }),
      ),
    );
    expect(answers.filter((a) => a.status === 202)).toHaveLength(CODES_PER_IP);
    const refused = answers.find((a) => a.status === 429);
    expect(refused?.body.error).toBe('TOO_MANY_CODES');
    expect(Number(refused?.headers['retry-after'])).toBe(3600);
    expect(emails.reduce((sum, email) => sum + mailedTo(email), 0)).toBe(CODES_PER_IP);
  });

  it('locks an address after too many codes tried, even the right one, from any IP', async () => {
    const resident = await signUp(app, mail, document(await chargedAccount()));
    const confirm = (code: string) =>
      http()
        .post('/v1/cabinet/sessions/confirm')
        .set('X-Forwarded-For', uniqueIp())
        .send({ email: resident.email, code });
    // Codes asked for from an address of this test's own, under the per-IP limit of codes.
    const ip = uniqueIp();
    const askCode = () =>
      http()
        .post('/v1/cabinet/sessions')
        .set('X-Forwarded-For', ip)
        .send({ email: resident.email });
    // The registration's confirmation counted once; each new code brings five tries of its own.
    let tried = 1;
    while (tried < CONFIRMS_PER_ADDRESS) {
      clock.advance(MINUTE);
      await askCode().expect(202);
      const code = lastCode(mail, resident.email);
      const wrong = String((Number(code) + 1) % 1000000).padStart(6, '0');
      for (let i = 0; i < 4 && tried < CONFIRMS_PER_ADDRESS; i += 1, tried += 1)
        await confirm(wrong).expect(422);
    }
    clock.advance(MINUTE);
    await askCode().expect(202);
    const locked = await confirm(lastCode(mail, resident.email)).expect(429);
    expect(locked.body.error).toBe('TOO_MANY_ATTEMPTS');
  });
});
