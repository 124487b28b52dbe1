import { ConsumerHealth, consumerTuningOf, createKafka, KafkaBatchServer } from '@gw/messaging';
import { isDatabaseUnavailable } from '@gw/persistence';
import { createHttpApp, kafkaSecurity, loadConfig } from '@gw/platform';
import { runMain, startConsumers } from '@gw/runtime';
import { FeedEnv } from './mosenergosbyt-feed.env';
import { MosenergosbytFeedModule } from './mosenergosbyt-feed.module';

export async function bootstrap(env: FeedEnv) {
  const tuning = consumerTuningOf(env, 'MOSENERGOSBYT');
  const health = new ConsumerHealth({ stallSeconds: tuning.stallSeconds });
  const app = await createHttpApp(MosenergosbytFeedModule.forRoot(env, health), {
    name: 'mosenergosbyt-feed',
    description:
      'Mosenergosbyt partner feed: partner readings in, accepted electricity readings out (contract 7.5; HTTP only for health and metrics)',
    logLevel: env.LOG_LEVEL,
    managementToken: env.MANAGEMENT_TOKEN,
  });
  app.connectMicroservice(
    {
      strategy: new KafkaBatchServer({
        kafka: createKafka(env.KAFKA_BROKERS, 'mosenergosbyt-feed-consumer', kafkaSecurity(env)),
        groupId: env.MOSENERGOSBYT_GROUP_ID,
        health,
        tuning,
        concurrency: env.MOSENERGOSBYT_CONCURRENCY,
        maxBytesPerPartition: env.MOSENERGOSBYT_MAX_BYTES_PER_PARTITION,
        fromBeginning: env.MOSENERGOSBYT_FROM_BEGINNING,
        isOutage: isDatabaseUnavailable,
      }),
    },
    { inheritAppConfig: true },
  );
  await app.listen(env.MOSENERGOSBYT_FEED_PORT, '0.0.0.0');
  await startConsumers(app);
  return app;
}

/** Starts the app from the environment; a failure to boot is one JSON line and exit code 1. */
export const main = () => runMain('mosenergosbyt-feed', () => bootstrap(loadConfig(FeedEnv)));

if (require.main === module) main();
