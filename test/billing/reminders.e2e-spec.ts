import type { AddressInfo } from 'node:net';
import { TOPICS, type VerificationReminderMessage } from '@gw/contracts';
import { addDays, formatDate, moscowDate, type RegistryRecord } from '@gw/domain';
import type { INestApplication } from '@nestjs/common';
import { SMTPServer } from 'smtp-server';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { ReminderMails } from '../../apps/cabinet-api/src/reminders/reminder-mails.service';
import { decodeMail, type MailCatcher, startMailCatcher } from '../../scripts/mail-catcher';
import {
  type Resident,
  seedCharges,
  signUp,
  startCabinet,
  TestClock,
  uniqueEmail,
} from '../cabinet/cabinet-support';
import { runCtl } from '../support/ctl';
import { startProcessor } from '../support/processor';
import { recordUnfit, registryRecord, seedMeters } from '../support/factories';
import { eventually, testDatabase, testKafka, TopicTap } from '../support/infra';

/** The day the job runs for; verified_on + 72 months gives each meter its due date. */
const DAY = '2026-03-10';

/** A meter verified on `verifiedOn` for 72 months. */
const dueMeter = (verifiedOn: string, overrides: RegistryRecord = {}) =>
  registryRecord({ installed_on: '2020-01-01', verified_on: verifiedOn, ...overrides });

describe('reminders run (contract section 9)', () => {
  let db: DataSource;
  let reminders: TopicTap;
  let mail: MailCatcher;
  let cabinet: INestApplication;
  let resident: Resident;

  const meters = {
    in60: dueMeter('2020-05-09'),
    in30: dueMeter('2020-04-09', { resource: 'hot_water' }),
    today: dueMeter('2020-03-10', { resource: 'electricity' }),
    // the day before: its due-day reminder was missed, and is made up for (REMINDER_CATCH_UP_DAYS 3)
    yesterday: dueMeter('2020-03-09'),
    in45: dueMeter('2020-04-24'),
    removed: dueMeter('2020-04-09', { decommissioned_on: '2026-01-01' }),
    // found unfit the day before (recorded with no due date): no due date to remind of
    unfit: dueMeter('2020-03-10', { resource: 'gas' }),
  };
  const expected: [RegistryRecord, string, number][] = [
    [meters.in60, '2026-05-09', 60],
    [meters.in30, '2026-04-09', 30],
    [meters.yesterday, '2026-03-09', 0],
    [meters.today, '2026-03-10', 0],
  ];
  const serials = Object.values(meters).map((m) => m.serial);
  const ours = () =>
    reminders
      .json<VerificationReminderMessage>()
      .filter((r) => serials.includes(r.meterSerial))
      .sort((a, b) => b.daysLeft - a.daysLeft || a.dueOn.localeCompare(b.dueOn));

  beforeAll(async () => {
    db = await testDatabase();
    await seedMeters(db, Object.values(meters));
    await recordUnfit(db, meters.unfit.serial as string, '2026-03-09');
    reminders = await TopicTap.open(testKafka(), TOPICS.verificationReminders);
    mail = await startMailCatcher();
    cabinet = await startCabinet(new TestClock(), mail.url, {
      CABINET_REMINDER_MAIL_INTERVAL_MS: '200',
    });
    const document = {
      accountNumber: meters.in60.account_number as string,
      period: '2026-09',
      amountCharged: '1234.50',
    };
    await seedCharges(db, [document]);
    resident = await signUp(cabinet, mail, document);
  });

  afterAll(async () => {
    await cabinet?.close();
    await mail?.close();
    await reminders?.close();
    await db?.destroy();
  });

  it('publishes each reminder once, in the contract shape, keyed by account, however often it runs', async () => {
    const first = await runCtl<{ date: string; recorded: number; published: number }>(
      'reminders',
      'run',
      '--date',
      DAY,
    );
    expect(first.date).toBe(DAY);
    expect(first.recorded).toBeGreaterThanOrEqual(expected.length);
    await reminders.waitFor<VerificationReminderMessage>(
      (all) => all.filter((r) => serials.includes(r.meterSerial)),
      expected.length,
    );
    const again = await runCtl('reminders', 'run', '--date', DAY);
    const nextDay = await runCtl('reminders', 'run', '--date', '2026-03-11');
    expect(again).toEqual({ date: DAY, recorded: 0, published: 0 });
    expect(nextDay).toEqual(expect.objectContaining({ date: '2026-03-11' }));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(ours()).toEqual(
      expected.map(([meter, dueOn, daysLeft]) => ({
        schema: 'meter-verification-reminder/1',
        accountNumber: meter.account_number,
        meterSerial: meter.serial,
        resource: meter.resource,
        dueOn,
        daysLeft,
        publishedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+03:00$/),
      })),
    );
    const keys = reminders.messages
      .filter((m) => serials.some((s) => m.value?.toString().includes(`"meterSerial":"${s}"`)))
      .map((m) => m.key);
    expect(keys.sort()).toEqual(expected.map(([m]) => m.account_number).sort());
  });

  it('e-mails each reminder once to the residents of the account, and shows it next to the meter', async () => {
    const serial = meters.in60.serial as string;
    const ofReminder = () =>
      mail.messages.filter(
        (m) => m.to.includes(resident.email.toLowerCase()) && m.subject.includes(serial),
      );
    const [sent] = await eventually(
      async () => ofReminder(),
      (found) => found.length === 1,
    );
    expect(sent.subject).toBe(`Поверка счётчика ${serial}: срок 09.05.2026`);
    expect(sent.text).toContain(
      `Лицевой счёт ${meters.in60.account_number}, счётчик «Холодная вода» № ${serial}.`,
    );
    expect(sent.text).toContain('Срок поверки счётчика истекает через 60 дней, 09.05.2026.');
    await runCtl('reminders', 'run', '--date', DAY);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(ofReminder()).toHaveLength(1);
    expect(mail.messages.filter((m) => m.to.includes(resident.email.toLowerCase()))).toHaveLength(
      2,
    );

    const meters60 = await request(cabinet.getHttpServer())
      .get(`/v1/cabinet/accounts/${meters.in60.account_number}/meters`)
      .set(resident.auth)
      .expect(200);
    expect(meters60.body.meters[0].reminders).toEqual([
      {
        dueOn: '2026-05-09',
        daysLeft: 60,
        publishedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+03:00$/),
      },
    ]);
  });

  it('is decided by the processor once a day, once however many replicas run it and however often they restart', async () => {
    const today = formatDate(moscowDate(new Date()));
    const dueOn = addDays(today, 60);
    // A due date on 29 February has no day six years before; the 30-day reminder does as well.
    const [due, daysLeft] = dueOn.endsWith('-02-29') ? [addDays(today, 30), 30] : [dueOn, 60];
    const meter = dueMeter(`${Number(due.slice(0, 4)) - 6}${due.slice(4)}`);
    await seedMeters(db, [meter]);
    const ofMeter = () =>
      reminders.json<VerificationReminderMessage>().filter((r) => r.meterSerial === meter.serial);
    const env = { REMINDERS_AT: '00:00', BILLING_JOBS_INTERVAL_MS: '200' };
    const replicas = [await startProcessor(env), await startProcessor(env)];
    try {
      await eventually(
        async () => ofMeter(),
        (found) => found.length > 0,
      );
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await Promise.all(replicas.splice(0).map((app) => app.close()));
      replicas.push(await startProcessor(env));
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(ofMeter()).toEqual([
        expect.objectContaining({ accountNumber: meter.account_number, dueOn: due, daysLeft }),
      ]);
    } finally {
      await Promise.all(replicas.map((app) => app.close()));
    }
  });
});

/** An SMTP server that refuses the addresses in `refused` for good (550) and keeps the rest. */
async function startRefusingSmtp() {
  const refused = new Set<string>();
  const tried: string[] = [];
  const delivered: { to: string; subject: string }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo({ address }, _session, callback) {
      tried.push(address);
      if (!refused.has(address)) return callback();
      callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const { subject } = decodeMail(Buffer.concat(chunks).toString('utf8'));
        delivered.push(...session.envelope.rcptTo.map((r) => ({ to: r.address, subject })));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    refused,
    tried,
    delivered,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('reminder e-mails the mail server refuses', () => {
  let db: DataSource;
  let smtp: Awaited<ReturnType<typeof startRefusingSmtp>>;
  let cabinet: INestApplication;

  /** Residents with these addresses who linked the account a day ago. */
  const linkResidents = (accountNumber: string, emails: string[]) =>
    db.query(
      `WITH added AS (
         INSERT INTO residents (id, email, phone, created_at, updated_at)
         SELECT gen_random_uuid(), email, '+79990000000', now(), now() FROM unnest($2::text[]) email
         RETURNING id)
       INSERT INTO resident_accounts (resident_id, account_number, proved_by_period, linked_at)
       SELECT id, $1, '2026-09', now() - interval '1 day' FROM added`,
      [accountNumber, emails],
    );
  /** A 60-day reminder about the meter, decided `ago`. */
  const remind = (meter: { serial: string; accountNumber: string }, ago: string) =>
    db.query(
      `INSERT INTO verification_reminders (meter_serial, due_on, days_left, account_number, resource, decided_at, published_at)
       VALUES ($1, '2031-05-09', 60, $2, 'cold_water', now() - $3::interval, now())`,
      [meter.serial, meter.accountNumber, ago],
    );
  const deliveredTo = () => smtp.delivered.map((m) => m.to);

  beforeAll(async () => {
    db = await testDatabase();
    smtp = await startRefusingSmtp();
    // Only the runs the tests start, after the one at start-up.
    cabinet = await startCabinet(new TestClock(), smtp.url, {
      CABINET_REMINDER_MAIL_INTERVAL_MS: String(60 * 60 * 1000),
    });
  });

  afterAll(async () => {
    await cabinet?.close();
    await smtp?.close();
    await db?.destroy();
  });

  it("mails the other residents' reminders in the run that meets a refused address, and the refused one once the server takes it", async () => {
    const [older, newer] = await seedMeters(db, [registryRecord(), registryRecord()]);
    const [refused, other] = [uniqueEmail(), uniqueEmail()];
    smtp.refused.add(refused);
    await linkResidents(older.accountNumber, [refused]);
    await linkResidents(newer.accountNumber, [other]);
    await remind(older, '2 minutes');
    await remind(newer, '1 minute');

    await cabinet.get(ReminderMails).run();
    expect(deliveredTo()).toContain(other);
    expect(deliveredTo()).not.toContain(refused);

    smtp.refused.delete(refused);
    await cabinet.get(ReminderMails).run();
    expect(smtp.delivered.filter((m) => [refused, other].includes(m.to))).toEqual([
      { to: other, subject: `Поверка счётчика ${newer.serial}: срок 09.05.2031` },
      { to: refused, subject: `Поверка счётчика ${older.serial}: срок 09.05.2031` },
    ]);
  });

  it('tries every pending mail once in a run, page after page, past whole pages of refused ones', async () => {
    const [older, newer] = await seedMeters(db, [registryRecord(), registryRecord()]);
    const refused = [uniqueEmail(), uniqueEmail(), uniqueEmail()];
    const other = uniqueEmail();
    refused.forEach((email) => smtp.refused.add(email));
    await linkResidents(older.accountNumber, refused);
    await linkResidents(newer.accountNumber, [other]);
    await remind(older, '2 minutes');
    await remind(newer, '1 minute');

    // Pages of 2: the refused three fill the first and start the second, which ends with the other.
    await cabinet.get(ReminderMails).run(2);
    expect(deliveredTo()).toContain(other);
    expect(smtp.tried.filter((to) => refused.includes(to)).sort()).toEqual([...refused].sort());
  });
});
