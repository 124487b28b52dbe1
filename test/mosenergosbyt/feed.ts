import type { INestApplication } from '@nestjs/common';
import { loadConfig } from '@gw/platform';
import type { Kafka } from 'kafkajs';
import { bootstrap } from '../../apps/mosenergosbyt-feed/src/main';
import { FeedEnv } from '../../apps/mosenergosbyt-feed/src/mosenergosbyt-feed.env';
import { testGroup } from '../support/infra';

export const FEED_GROUP = testGroup('mosenergosbyt-feed');

/** The real mosenergosbyt-feed, in this process, with this run's group and a quick release check. */
export async function startFeed(env: Record<string, string> = {}): Promise<INestApplication> {
  return bootstrap(
    loadConfig(FeedEnv, {
      ...process.env,
      MOSENERGOSBYT_FEED_PORT: '0',
      MOSENERGOSBYT_GROUP_ID: FEED_GROUP,
      MOSENERGOSBYT_RELEASE_INTERVAL_MS: '300',
      LOG_LEVEL: 'warn',
      ...env,
    }),
  );
}

/**
 * Commits a new group's offsets at the current end of `topics`, as for an app deployed now. The
 * broker is shared by every run on this machine (benchmarks put millions of outcomes on it); the
 * group then reads only what its test publishes instead of all that history.
 */
export async function startGroupAtEnd(kafka: Kafka, groupId: string, topics: string[]) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (const topic of topics) {
      // Explicit offsets: `resetOffsets` commits -1, which a consumer reads as "no offset yet".
      const ends = await admin.fetchTopicOffsets(topic);
      await admin.setOffsets({
        groupId,
        topic,
        partitions: ends.map(({ partition, high }) => ({ partition, offset: high })),
      });
    }
  } finally {
    await admin.disconnect();
  }
}
