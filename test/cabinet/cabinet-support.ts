import type { INestApplication } from '@nestjs/common';
import type { Charge } from '@gw/domain';
import { ChargeImportRepository } from '../../apps/ctl/src/persistence/charge-import.repository';
import { loadConfig } from '@gw/platform';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { CabinetEnv } from '../../apps/cabinet-api/src/cabinet.env';
import { Clock } from '../../apps/cabinet-api/src/clock';
import { bootstrap } from '../../apps/cabinet-api/src/main';
import type { MailCatcher } from '../../scripts/mail-catcher';

/** 20 November 2026, 10:00 Moscow: inside the water window; the last three ЕПД are 2026-08..10. */
export const TODAY = '2026-11-20T10:00:00+03:00';

/** A clock the test moves by hand. */
export class TestClock extends Clock {
  private at: number;

  constructor(iso = TODAY) {
    super();
    this.at = Date.parse(iso);
  }

  now(): Date {
    return new Date(this.at);
  }

  set(iso: string): void {
    this.at = Date.parse(iso);
  }

  advance(ms: number): void {
    this.at += ms;
  }
}

export const MINUTE = 60 * 1000;

/** The real cabinet-api on a free port, with a test clock and a fixed secret. */
export function startCabinet(
  clock: Clock,
  smtpUrl: string,
  env: Record<string, string> = {},
): Promise<INestApplication> {
  return bootstrap(
    loadConfig(CabinetEnv, {
      ...process.env,
      CABINET_API_PORT: '0',
      LOG_LEVEL: 'warn',
      SMTP_URL: smtpUrl,
      CABINET_SECRET: 'e2e-cabinet-secret-of-at-least-32-characters',
      TRUSTED_PROXIES: '127.0.0.1,::1',
      // Most requests of the suites come from one address; cabinet-limits.e2e-spec tests these.
      CABINET_CODES_PER_IP_PER_HOUR: '100000',
      CABINET_CODE_CONFIRMS_PER_IP_PER_HOUR: '100000',
      ...env,
    }),
    clock,
  );
}

export async function seedCharges(db: DataSource, charges: Charge[]): Promise<void> {
  await new ChargeImportRepository(db).upsertCharges(charges);
}

let sequence = 0;
// Test files share the run's database, and with it the rate limits' counters: each file numbers
// its client addresses from a random start, so they do not meet another file's.
let ipSequence = Math.floor(Math.random() * 2 ** 22);
const runSalt = Math.random().toString(36).slice(2, 8);

export function uniqueEmail(): string {
  sequence += 1;
  return `resident-${runSalt}-${sequence}@example.ru`;
}

export function uniquePhone(): string {
  sequence += 1;
  return `+7916${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}${String(sequence).padStart(4, '0')}`;
}

/** A client address of its own, sent as X-Forwarded-For, so per-IP limits of tests stay apart. */
export function uniqueIp(): string {
  ipSequence += 1;
  return `10.${Math.floor(ipSequence / 65536) % 256}.${Math.floor(ipSequence / 256) % 256}.${ipSequence % 256}`;
}

/** The 6-digit code of the latest message to `to`. */
export function lastCode(mail: MailCatcher, to: string): string {
  const message = [...mail.messages].reverse().find((m) => m.to.includes(to));
  const code = message && /(?<!\d)(\d{6})(?!\d)/.exec(message.text)?.[1];
  if (!code) throw new Error(`no code was mailed to ${to}`);
  return code;
}

export interface Resident {
  email: string;
  phone: string;
  token: string;
  auth: { Authorization: string };
}

/** Registers a resident with a payment document and confirms with the mailed code. */
export async function signUp(
  app: INestApplication,
  mail: MailCatcher,
  document: { accountNumber: string; period: string; amountCharged: string },
  email = uniqueEmail(),
): Promise<Resident> {
  const phone = uniquePhone();
  const created = await request(app.getHttpServer())
    .post('/v1/cabinet/registrations')
    .set('X-Forwarded-For', uniqueIp())
    .send({ ...document, email, phone })
    .expect(202);
  const confirmed = await request(app.getHttpServer())
    .post(`/v1/cabinet/registrations/${created.body.registrationId}/confirm`)
    .send({ code: lastCode(mail, email.toLowerCase()) })
    .expect(200);
  const token = confirmed.body.token as string;
  return { email, phone, token, auth: { Authorization: `Bearer ${token}` } };
}

/** Signs `email` in again with the mailed code (past the code's resend window); its new token. */
export async function signIn(app: INestApplication, mail: MailCatcher, email: string) {
  await request(app.getHttpServer()).post('/v1/cabinet/sessions').send({ email }).expect(202);
  const confirmed = await request(app.getHttpServer())
    .post('/v1/cabinet/sessions/confirm')
    .send({ email, code: lastCode(mail, email) })
    .expect(200);
  return confirmed.body.token as string;
}
