import type { SubmissionMessage } from '@gw/contracts';
import type { ReadingDecision } from '@gw/domain';
import {
  ReadingRepository,
  ReadingRevisionRepository,
  transaction,
  type Transaction,
} from '@gw/persistence';
import type { DataSource } from 'typeorm';
import { registryRecord, seedMeters, submission } from '../support/factories';
import { testDatabase } from '../support/infra';

/** A decision with no values, enough for the token: only its status matters to it. */
const decision = (status: ReadingDecision['status']): ReadingDecision => ({
  status,
  reasons: status === 'accepted' ? [] : ['VALUE_FORMAT'],
  warnings: [],
  billingPeriod: '2026-11',
  values: null,
  consumption: [],
  consumptionUnits: null,
  days: null,
});

describe('persistence: a meter token moves with every change of its accepted readings', () => {
  let db: DataSource;
  let readings: ReadingRepository;
  let revisions: ReadingRevisionRepository;
  let account: string;
  let serials: [string, string];

  beforeAll(async () => {
    db = await testDatabase();
    readings = new ReadingRepository(db);
    revisions = new ReadingRevisionRepository(db);
  });

  afterAll(async () => {
    await db?.destroy();
  });

  beforeEach(async () => {
    const cold = registryRecord();
    account = cold.account_number as string;
    const hot = registryRecord({ account_number: account, resource: 'hot_water' });
    await seedMeters(db, [cold, hot]);
    serials = [cold.serial as string, hot.serial as string];
  });

  const tokens = () => Promise.all(serials.map((s) => revisions.acceptedState(s)));

  /** Stores `message` decided `status`, in `tx` or in a transaction of its own. */
  const store = (
    message: SubmissionMessage,
    status: ReadingDecision['status'],
    tx?: Transaction,
  ) => {
    const insert = (t: Transaction) =>
      readings.insertDecisions(t, [
        {
          message,
          decision: decision(status),
          decidedAt: new Date(),
          partition: 0,
          offset: '0',
          traceId: null,
        },
      ]);
    return tx ? insert(tx) : transaction(db, insert);
  };

  const revise = (
    submissionId: string,
    status: ReadingDecision['status'],
    meterSerial: string | null,
  ) =>
    transaction(db, (tx) =>
      revisions.revise(tx, [
        {
          submissionId,
          decision: decision(status),
          decidedAt: new Date(),
          correctedValues: null,
          meterSerial,
        },
      ]),
    );

  it('changes when an accepted reading is stored, and not for a rejected one or a redelivery', async () => {
    const [before] = await tokens();
    await store(submission({ accountNumber: account, meterSerial: serials[0] }), 'rejected');
    expect((await tokens())[0]).toBe(before);
    const accepted = submission({ accountNumber: account, meterSerial: serials[0] });
    await store(accepted, 'accepted');
    const [after] = await tokens();
    expect(after).not.toBe(before);
    expect(await store(accepted, 'accepted')).toEqual(new Set());
    expect((await tokens())[0]).toBe(after);
  });

  it('changes for both meters when an accepted reading moves, and for the target when a held one is accepted on it', async () => {
    const held = submission({ accountNumber: account, meterSerial: serials[0] });
    await store(held, 'needs_review');
    const start = await tokens();
    await revise(held.submissionId, 'accepted', serials[1]);
    const moved = await tokens();
    expect(moved[0]).toBe(start[0]);
    expect(moved[1]).not.toBe(start[1]);
    await revise(held.submissionId, 'accepted', serials[0]);
    const back = await tokens();
    expect(back[0]).not.toBe(moved[0]);
    expect(back[1]).not.toBe(moved[1]);
    await revise(held.submissionId, 'rejected', null);
    expect((await tokens())[0]).not.toBe(back[0]);
  });

  it('changes when the meter row changes', async () => {
    const [before] = await tokens();
    await db.query(
      `UPDATE meters SET updated_at = updated_at + interval '1 second' WHERE serial = $1`,
      [serials[0]],
    );
    expect((await tokens())[0]).not.toBe(before);
  });

  it('is read under the lock as the holder committed it: a waiting locker sees the new token', async () => {
    const [before] = await tokens();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let stored!: () => void;
    const written = new Promise<void>((resolve) => (stored = resolve));
    const holder = transaction(db, async (tx) => {
      await revisions.acceptedState(serials[0], tx);
      await store(submission({ accountNumber: account, meterSerial: serials[0] }), 'accepted', tx);
      stored();
      await held;
    });
    await written;
    const waiter = transaction(db, (tx) => readings.lockMeters(tx, [serials[0]]));
    const outcome = await Promise.race([
      waiter.then(() => 'returned'),
      delay(300).then(() => 'waiting'),
    ]);
    expect(outcome).toBe('waiting');
    release();
    await holder;
    const locked = (await waiter).get(serials[0]);
    expect(locked).not.toBe(before);
    expect(locked).toBe((await tokens())[0]);
  });

  it('is empty for an unknown meter', async () => {
    expect(await revisions.acceptedState('NO-SUCH-METER')).toBe('');
  });
});

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
