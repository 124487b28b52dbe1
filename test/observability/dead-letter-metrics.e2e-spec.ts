import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startFeed } from '../mosenergosbyt/feed';
import { startProcessor } from '../support/processor';

/**
 * The alerts ProcessorDeadLetters and FeedDeadLetters are `increase()` of these counters, which
 * counts nothing for a series whose first sample is already 1: each reason must be shown at 0
 * before its first letter, or a process's first letter of a reason would raise no alert. Both
 * consumers start at the end of the shared topics, so nothing is dead-lettered here.
 */
describe.each([
  {
    app: 'reading-processor',
    start: () => startProcessor({ PROCESSOR_FROM_BEGINNING: 'false' }),
    family: 'processor_dead_lettered_total',
    reasons: ['UNDECODABLE', 'STORE_FAILED'],
  },
  {
    app: 'mosenergosbyt-feed',
    start: () => startFeed({ MOSENERGOSBYT_FROM_BEGINNING: 'false' }),
    family: 'mosenergosbyt_dead_lettered_total',
    reasons: ['MALFORMED', 'STORE_FAILED'],
  },
])("the $app's dead-letter counter", ({ start, family, reasons }) => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await start();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('shows every reason before the first letter', async () => {
    const { text } = await request(app.getHttpServer()).get('/metrics').expect(200);
    for (const reason of reasons)
      expect(text).toMatch(new RegExp(`^${family}\\{reason="${reason}"\\} \\d`, 'm'));
  });
});
