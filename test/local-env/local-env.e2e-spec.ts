import { createTransport } from 'nodemailer';
import { Client } from 'pg';
import {
  databaseOf,
  datedDemoCharges,
  dropDatabase,
  ensureDatabase,
} from '../../scripts/local-env';
import { startMailCatcher } from '../../scripts/mail-catcher';

/** What `npm start` does for a newcomer, on this machine's real sockets and PostgreSQL. */
describe('startMailCatcher', () => {
  it('moves to the next free port when the one asked for is busy', async () => {
    const first = await startMailCatcher();
    const busy = Number(new URL(first.url).port);
    const second = await startMailCatcher({ port: busy });
    try {
      const moved = Number(new URL(second.url).port);
      expect(moved).toBeGreaterThan(busy);
      expect(moved).toBeLessThanOrEqual(busy + 100);
    } finally {
      await second.close();
      await first.close();
    }
  });

  it('catches a message sent to the port it reports', async () => {
    const catcher = await startMailCatcher();
    try {
      await createTransport(catcher.url).sendMail({
        from: 'a@example.ru',
        to: 'b@example.ru',
        subject: 'Код',
        text: '012345',
      });
      expect(catcher.messages).toEqual([
        expect.objectContaining({ to: ['b@example.ru'], subject: 'Код', text: '012345' }),
      ]);
    } finally {
      await catcher.close();
    }
  });
});

describe('ensureDatabase with DATABASE_URL', () => {
  it('creates the database the URL names when it is missing, and uses it as it is otherwise', async () => {
    const run = new URL(process.env.DATABASE_URL!);
    run.pathname = `/${databaseOf(run.toString()).name}_given`;
    const url = run.toString();
    await dropDatabase(url);
    try {
      for (let start = 1; start <= 2; start += 1) {
        expect(await ensureDatabase('unused', { env: { DATABASE_URL: url } })).toEqual({
          value: url,
          started: false,
        });
      }
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        const { rows } = await client.query('SELECT current_database() AS name');
        expect(rows).toEqual([{ name: databaseOf(url).name }]);
      } finally {
        await client.end();
      }
    } finally {
      await dropDatabase(url);
    }
  });
});

describe('ensureDatabase fresh with DATABASE_URL', () => {
  it("makes a run's own database on that server and leaves the one the URL names alone", async () => {
    const run = databaseOf(process.env.DATABASE_URL!).name;
    const given = new URL(process.env.DATABASE_URL!);
    given.pathname = `/${run}_developer`;
    const own = `${run}_fresh`;
    const tables = async (url: string) => {
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        const { rows } = await client.query(
          `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'`,
        );
        return rows.map((r: { name: string }) => r.name);
      } finally {
        await client.end();
      }
    };
    await ensureDatabase('unused', { env: { DATABASE_URL: given.toString() } });
    const developer = new Client({ connectionString: given.toString() });
    await developer.connect();
    await developer.query('CREATE TABLE kept (id int)').finally(() => developer.end());
    const fresh = new URL(given);
    fresh.pathname = `/${own}`;
    try {
      for (let start = 1; start <= 2; start += 1)
        expect(
          await ensureDatabase(own, { fresh: true, env: { DATABASE_URL: given.toString() } }),
        ).toEqual({ value: fresh.toString(), started: false });
      expect(await tables(fresh.toString())).toEqual([]);
      await dropDatabase(fresh.toString());
      expect(await tables(given.toString())).toEqual(['kept']);
    } finally {
      await dropDatabase(fresh.toString());
      await dropDatabase(given.toString());
    }
  });
});

describe('datedDemoCharges', () => {
  const csv = [
    'account_number;period;amount_charged',
    '5001234567;2026-08;4321.55',
    '5001234567;2026-10;4598.70',
    '5001234569;2026-10;2877.10',
    '',
  ].join('\n');

  it('leaves the charges as they are while their latest period is among the last three issued', () => {
    for (const today of [
      { year: 2026, month: 11, day: 1 },
      { year: 2027, month: 1, day: 31 },
    ])
      expect(datedDemoCharges(csv, today)).toEqual({ csv, periods: ['2026-08', '2026-10'] });
  });

  it('moves every period on so that the latest is the last issued, across the year', () => {
    expect(datedDemoCharges(csv, { year: 2027, month: 2, day: 1 })).toEqual({
      csv: [
        'account_number;period;amount_charged',
        '5001234567;2026-11;4321.55',
        '5001234567;2027-01;4598.70',
        '5001234569;2027-01;2877.10',
        '',
      ].join('\n'),
      periods: ['2026-11', '2027-01'],
    });
  });
});
