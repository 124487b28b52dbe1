import type { INestApplication } from '@nestjs/common';
import { TOPICS } from '@gw/contracts';
import { toMoscowIso } from '@gw/domain';
import { KafkaPublisher } from '@gw/messaging';
import type { DataSource } from 'typeorm';
import { runCtl } from '../support/ctl';
import { registryRecord, seedMeters, submission } from '../support/factories';
import { eventually, testDatabase, testGroup, testKafka, TopicTap } from '../support/infra';
import { startProcessor } from '../support/processor';
import { refuseToStore } from '../support/refuse-to-store';

interface Letter {
  partition: number;
  offset: string;
  reason: string;
  detail: string;
  source: { topic: string; partition: number | null; offset: string | null };
  submissionId: string | null;
  replayedFrom: string | null;
  replayed: boolean;
}

interface Replay {
  topic: string;
  replayed: { partition: number; offset: string; to: string; submissionId: string | null }[];
  alreadyReplayed: number;
}

describe('ctl dlq list and replay', () => {
  const group = testGroup('reading-processor');
  const since = new Date(Date.now() - 1000).toISOString();
  const scope = ['--topic', TOPICS.submittedDlq, '--since', since, '--group', group];
  let db: DataSource;
  let processor: INestApplication;
  let publisher: KafkaPublisher;
  let dlq: TopicTap;

  beforeAll(async () => {
    db = await testDatabase();
    dlq = await TopicTap.open(testKafka(), TOPICS.submittedDlq);
    processor = await startProcessor();
    publisher = new KafkaPublisher(testKafka('e2e-dlq'), 10000);
  });

  afterAll(async () => {
    await publisher?.close();
    await processor?.close();
    await dlq?.close();
    await db?.destroy();
  });

  it('lists both letter layouts, replays each DLQ offset once, and audits every replay', async () => {
    const [meter] = await seedMeters(db, [registryRecord({ initial_on: '2026-01-01' })]);
    const refused = submission({
      accountNumber: meter.accountNumber,
      meterSerial: meter.serial,
      readAt: toMoscowIso(new Date(Date.now() - 3600_000)),
      receivedAt: toMoscowIso(new Date()),
    });
    const allowAgain = await refuseToStore(db, 'readings', 'submission_id', refused.submissionId);
    try {
      await publisher.publish(TOPICS.submitted, [
        { key: meter.accountNumber, value: JSON.stringify(refused) },
        { key: meter.accountNumber, value: '{"schema":"not-a-submission"}' },
      ]);
      await eventually(
        async () => dlq.ours().length,
        (n) => n === 2,
      );
    } finally {
      await allowAgain();
    }

    const listed = await runCtl<{ count: number; letters: Letter[] }>('dlq', 'list', ...scope);
    expect(listed.count).toBe(2);
    // The processor dead-letters what it cannot decode before it stores the rest.
    const [undecodable, storeFailed] = listed.letters;
    expect(storeFailed).toMatchObject({
      reason: 'STORE_FAILED',
      detail: expect.stringContaining('test refuses to store'),
      source: {
        topic: TOPICS.submitted,
        partition: expect.any(Number),
        offset: expect.any(String),
      },
      submissionId: refused.submissionId,
      replayedFrom: null,
      replayed: false,
    });
    expect(undecodable).toMatchObject({
      reason: 'UNDECODABLE',
      detail: expect.any(String),
      source: { topic: TOPICS.submitted },
      submissionId: null,
      replayed: false,
    });

    // The cause is fixed: the replay stores the reading; the undecodable one comes back.
    const first = await runCtl<Replay>('dlq', 'replay', ...scope);
    expect(first.alreadyReplayed).toBe(0);
    expect(first.replayed).toEqual([
      {
        partition: undecodable.partition,
        offset: undecodable.offset,
        to: TOPICS.submitted,
        submissionId: null,
      },
      {
        partition: storeFailed.partition,
        offset: storeFailed.offset,
        to: TOPICS.submitted,
        submissionId: refused.submissionId,
      },
    ]);
    const stored = () =>
      db.query(`SELECT status FROM readings WHERE submission_id = $1`, [refused.submissionId]);
    expect(await eventually(stored, (rows) => rows.length === 1)).toEqual([{ status: 'accepted' }]);
    const [bounced] = await eventually(
      async () => dlq.ours().filter((m) => m.headers['x-replayed-from']),
      (found) => found.length === 1,
    );
    expect(bounced.headers['x-replayed-from']).toBe(
      `${TOPICS.submittedDlq}/${undecodable.partition}/${undecodable.offset}`,
    );

    const again = await runCtl<{ letters: Letter[] }>('dlq', 'list', ...scope);
    expect(again.letters.map((l) => [l.reason, l.replayed, l.replayedFrom])).toEqual([
      ['UNDECODABLE', true, null],
      ['STORE_FAILED', true, null],
      ['UNDECODABLE', false, bounced.headers['x-replayed-from']],
    ]);

    // A second replay of the same span sends nothing it sent before.
    const second = await runCtl<Replay>('dlq', 'replay', ...scope, '--reason', 'STORE_FAILED');
    expect(second).toEqual({ topic: TOPICS.submittedDlq, replayed: [], alreadyReplayed: 1 });
    await new Promise((done) => setTimeout(done, 1000));
    expect(await stored()).toHaveLength(1);

    const audit = await db.query(
      `SELECT operator_login, action, subject, after FROM audit_log
        WHERE action = 'dlq replay' AND after->>'group' = $1 ORDER BY id`,
      [group],
    );
    expect(audit).toEqual([
      {
        operator_login: 'ctl',
        action: 'dlq replay',
        subject: TOPICS.submittedDlq,
        after: {
          since,
          reason: null,
          group,
          replayed: [
            `${undecodable.partition}/${undecodable.offset}`,
            `${storeFailed.partition}/${storeFailed.offset}`,
          ],
          alreadyReplayed: 0,
        },
      },
      {
        operator_login: 'ctl',
        action: 'dlq replay',
        subject: TOPICS.submittedDlq,
        after: { since, reason: 'STORE_FAILED', group, replayed: [], alreadyReplayed: 1 },
      },
    ]);
  });

  it.each([TOPICS.submitted, 'toString'])(
    'refuses --topic %p, not a dead-letter topic',
    async (topic) => {
      await expect(runCtl('dlq', 'list', '--topic', topic)).rejects.toThrow(
        '--topic must be one of meter-readings.submitted.v1.dlq, partner.mosenergosbyt.readings.v1.dlq',
      );
    },
  );

  it.each<[string, string]>([
    ['replay', 'yesterday'],
    ['list', '2026-02-30'],
    ['list', '2026-12-05junk'],
    ['list', '2026-12-05T06:00'],
  ])('%s refuses --since %p, naming the option', async (command, value) => {
    await expect(
      runCtl('dlq', command, '--topic', TOPICS.submittedDlq, '--since', value),
    ).rejects.toThrow('--since must be an RFC 3339 timestamp with an offset');
  });
});
