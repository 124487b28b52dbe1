import type { INestApplication } from '@nestjs/common';
import { DLQ_HEADERS, TOPICS } from '@gw/contracts';
import { toMoscowIso } from '@gw/domain';
import { KafkaPublisher, ORIGINAL_OMITTED_HEADER } from '@gw/messaging';
import type { IHeaders } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { headerBytes, RawHeaderTap } from '../messaging/raw-header-tap';
import { ctlOutput, runCtl } from '../support/ctl';
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
  key: string | null;
  submissionId: string | null;
  replayedFrom: string | null;
  originalOmitted: string | null;
  replayed: boolean;
}

interface Replay {
  topic: string;
  replayed: { partition: number; offset: string; to: string; submissionId: string | null }[];
  alreadyReplayed: number;
  skipped: { partition: number; offset: string; source: Letter['source']; reason: string }[];
}

describe('ctl dlq list and replay', () => {
  const group = testGroup('reading-processor');
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
    // From this test's start: letters an earlier suite's processor of the same group wrote are older.
    const since = new Date().toISOString();
    const scope = ['--topic', TOPICS.submittedDlq, '--since', since, '--group', group];
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
    expect(second).toEqual({
      topic: TOPICS.submittedDlq,
      replayed: [],
      alreadyReplayed: 1,
      skipped: [],
    });
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
          skipped: [],
        },
      },
      {
        operator_login: 'ctl',
        action: 'dlq replay',
        subject: TOPICS.submittedDlq,
        after: {
          since,
          reason: 'STORE_FAILED',
          group,
          replayed: [],
          alreadyReplayed: 1,
          skipped: [],
        },
      },
    ]);
  });

  it('replays the headers byte for byte, and skips a letter sent without its original', async () => {
    const from = new Date().toISOString();
    const span = ['--topic', TOPICS.submittedDlq, '--since', from, '--group', group];
    const kafka = testKafka('e2e-dlq-headers');
    const submitted = await RawHeaderTap.open(kafka, TOPICS.submitted);
    try {
      const marker = `not json ${Date.now()}-headers`;
      const headers: IHeaders = {
        'x-bin': Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28]),
        'x-twice': ['first', Buffer.from([0xc3, 0x28]), 'first'],
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      };
      await publisher.publish(TOPICS.submitted, [{ key: '5001234567', value: marker, headers }]);
      const [undecodable] = await eventually(
        async () => dlq.ours().filter((m) => m.value?.toString() === marker),
        (found) => found.length === 1,
      );
      // What a processor sends when the letter is too large for the DLQ (see deadLetter).
      const omitted = 'the letter of 2000000 bytes was too large for the DLQ';
      await publisher.publish(TOPICS.submittedDlq, [
        {
          key: '5001234568',
          value: Buffer.alloc(0),
          headers: {
            [DLQ_HEADERS.error]: 'UNDECODABLE',
            [DLQ_HEADERS.reason]: 'value is not valid JSON',
            'x-original-topic': TOPICS.submitted,
            'x-original-partition': '0',
            'x-original-offset': '12345',
            'x-decided-by': group,
            [ORIGINAL_OMITTED_HEADER]: omitted,
          },
        },
      ]);

      const listed = await runCtl<{ letters: Letter[] }>('dlq', 'list', ...span);
      expect(listed.letters.map((l) => [l.offset, l.reason, l.originalOmitted])).toEqual([
        [undecodable.offset, 'UNDECODABLE', null],
        [expect.any(String), 'UNDECODABLE', omitted],
      ]);
      const stub = listed.letters[1];

      const replay = await runCtl<Replay>('dlq', 'replay', ...span);
      expect(replay).toEqual({
        topic: TOPICS.submittedDlq,
        replayed: [
          {
            partition: undecodable.partition,
            offset: undecodable.offset,
            to: TOPICS.submitted,
            submissionId: null,
          },
        ],
        alreadyReplayed: 0,
        skipped: [
          {
            partition: stub.partition,
            offset: stub.offset,
            source: { topic: TOPICS.submitted, partition: 0, offset: '12345' },
            reason: expect.stringContaining(ORIGINAL_OMITTED_HEADER),
          },
        ],
      });
      const replayedFrom = (m: { headers: IHeaders }) => m.headers['x-replayed-from']?.toString();
      const [again] = await submitted.waitFor(
        (m) => m.value?.toString() === marker && !!replayedFrom(m),
      );
      expect(headerBytes(again.headers)).toEqual(
        headerBytes({
          ...headers,
          'x-replayed-from': `${TOPICS.submittedDlq}/${undecodable.partition}/${undecodable.offset}`,
        }),
      );
      expect(again.key?.toString()).toBe('5001234567');
      // Nothing went back in the omitted original's place, and the letter stays to be read.
      expect(
        submitted.messages.filter(
          (m) => replayedFrom(m) === `${TOPICS.submittedDlq}/${stub.partition}/${stub.offset}`,
        ),
      ).toEqual([]);
      const after = await runCtl<{ letters: Letter[] }>('dlq', 'list', ...span);
      expect(after.letters.slice(0, 2).map((l) => [l.offset, l.replayed])).toEqual([
        [undecodable.offset, true],
        [stub.offset, false],
      ]);
    } finally {
      await submitted.close();
    }
  });

  it('writes the controls and invisible characters of a letter escaped, the JSON unchanged', async () => {
    const from = new Date().toISOString();
    const ownGroup = testGroup('ctl-dlq-controls');
    const c1 = Array.from({ length: 32 }, (_, i) => String.fromCharCode(0x80 + i)).join('');
    const bidi = '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c';
    const invisible = '\u200b\u200c\u200d\u2060\u00ad\ufeff\u2028\u2029';
    const key = `5001234569\u009b2J\u202e\u200b`;
    const detail = `duplicate key ${c1}${bidi}${invisible} (Иванов 🔥)`;
    const submissionId = `\u2067${Date.now()}\u2069`;
    await publisher.publish(TOPICS.submittedDlq, [
      {
        key,
        value: JSON.stringify({ submissionId }),
        headers: {
          [DLQ_HEADERS.error]: detail,
          [DLQ_HEADERS.reason]: 'STORE_FAILED',
          'x-original-topic': TOPICS.submitted,
          'x-decided-by': ownGroup,
        },
      },
    ]);

    const span = ['--topic', TOPICS.submittedDlq, '--since', from, '--group', ownGroup];
    const printed = await ctlOutput(process.env, 'dlq', 'list', ...span);
    expect(printed).not.toMatch(/[\u0080-\u009f\p{Cf}\u2028\u2029]/u);
    expect(printed).toContain('5001234569\\u009b2J\\u202e\\u200b');
    expect(printed).toContain('(Иванов 🔥)');
    const { letters } = JSON.parse(printed) as { letters: Letter[] };
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ key, detail, submissionId, reason: 'STORE_FAILED' });
  });

  it.each([TOPICS.submitted, 'toString'])(
    'refuses --topic %p, not a dead-letter topic',
    async (topic) => {
      await expect(runCtl('dlq', 'list', '--topic', topic)).rejects.toThrow(
        `option '--topic <topic>' argument '${topic}' is invalid. must be one of meter-readings.submitted.v1.dlq, partner.mosenergosbyt.readings.v1.dlq`,
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
    ).rejects.toThrow(
      `option '--since <instant>' argument '${value}' is invalid. must be an RFC 3339 timestamp with an offset`,
    );
  });
});
