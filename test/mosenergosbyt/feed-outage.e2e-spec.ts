import { type INestApplication, Logger } from '@nestjs/common';
import { TOPICS } from '@gw/contracts';
import type { Producer } from 'kafkajs';
import { eventually, testGroup, testKafka } from '../support/infra';
import { proxyDatabase, type TcpProxy } from '../support/tcp-proxy';
import { startFeed, startGroupAtEnd } from './feed';
import { partnerIds, partnerMessage } from './partner-factories';

const FEED_GROUP = testGroup('mosenergosbyt-feed-outage');

/**
 * The feed while PostgreSQL is out: its release checks fail and are tried again on the next run,
 * a partner reading's batch fails and is retried. Both are an outage, logged as warnings (nothing
 * for an operator to act on), never as errors.
 */
describe('mosenergosbyt-feed without its database', () => {
  let proxy: TcpProxy;
  let feed: INestApplication;
  let producer: Producer;

  beforeAll(async () => {
    const kafka = testKafka('feed-outage');
    await startGroupAtEnd(kafka, FEED_GROUP, [TOPICS.partnerReadings, TOPICS.outcomes]);
    producer = kafka.producer({ idempotent: true });
    await producer.connect();
    const database = await proxyDatabase();
    proxy = database.proxy;
    feed = await startFeed({
      DATABASE_URL: database.url,
      DATABASE_CONNECT_TIMEOUT_MS: '1000',
      DATABASE_STATEMENT_TIMEOUT_MS: '1000',
      MOSENERGOSBYT_GROUP_ID: FEED_GROUP,
    });
  });

  afterAll(async () => {
    await feed?.close();
    await producer?.disconnect();
    await proxy?.close();
  });

  it.each([
    ['gone', () => proxy.cut(), () => proxy.restore()],
    ['frozen', async () => proxy.stall(), async () => proxy.unstall()],
  ] as const)(
    'logs what fails while the database is %s as warnings',
    async (_state, outage, back) => {
      const errors = jest.spyOn(Logger.prototype, 'error');
      const warnings = jest.spyOn(Logger.prototype, 'warn');
      const said = (spy: jest.SpyInstance): string[] => spy.mock.calls.map(([line]) => line.msg);
      try {
        await outage();
        const message = partnerMessage(partnerIds());
        await producer.send({
          topic: TOPICS.partnerReadings,
          acks: -1,
          messages: [{ key: message.lsMes, value: JSON.stringify(message) }],
        });
        await eventually(
          async () => said(warnings),
          (msgs) =>
            msgs.includes('batch failed; retrying') &&
            msgs.some((msg) => msg.endsWith('; retried on the next run')),
          20_000,
          100,
        );
        expect(said(errors)).toEqual([]);
      } finally {
        errors.mockRestore();
        warnings.mockRestore();
        await back();
      }
    },
  );
});
