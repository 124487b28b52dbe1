import { TOPICS, type VerificationReminderMessage } from '@gw/contracts';
import type { RegistryRecord } from '@gw/domain';
import type { DataSource } from 'typeorm';
import { runCtl } from '../support/ctl';
import { registryRecord, seedMeters } from '../support/factories';
import { testDatabase, testKafka, TopicTap } from '../support/infra';

/** The day the job runs for; verified_on + 72 months gives each meter its due date. */
const DAY = '2031-03-10';

/** A meter verified on `verifiedOn` for 72 months. */
const dueMeter = (verifiedOn: string, overrides: RegistryRecord = {}) =>
  registryRecord({ installed_on: '2025-01-01', verified_on: verifiedOn, ...overrides });

describe('reminders run (contract section 9)', () => {
  let db: DataSource;
  let reminders: TopicTap;

  const meters = {
    in60: dueMeter('2025-05-09'),
    in30: dueMeter('2025-04-09', { resource: 'hot_water' }),
    today: dueMeter('2025-03-10', { resource: 'electricity' }),
    // the day before: its due-day reminder was missed, and is made up for (REMINDER_CATCH_UP_DAYS 3)
    yesterday: dueMeter('2025-03-09'),
    in45: dueMeter('2025-04-24'),
    removed: dueMeter('2025-04-09', { decommissioned_on: '2031-01-01' }),
  };
  const expected: [RegistryRecord, string, number][] = [
    [meters.in60, '2031-05-09', 60],
    [meters.in30, '2031-04-09', 30],
    [meters.yesterday, '2031-03-09', 0],
    [meters.today, '2031-03-10', 0],
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
    reminders = await TopicTap.open(testKafka(), TOPICS.verificationReminders);
  });

  afterAll(async () => {
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
    const nextDay = await runCtl('reminders', 'run', '--date', '2031-03-11');
    expect(again).toEqual({ date: DAY, recorded: 0, published: 0 });
    expect(nextDay).toEqual(expect.objectContaining({ date: '2031-03-11' }));
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
});
