import { TOPICS } from '@gw/contracts';
import { ConsumerHealth, consumerTuningOf, createKafka, KafkaBatchServer } from '@gw/messaging';
import { isDatabaseUnavailable } from '@gw/persistence';
import { createHttpApp, kafkaSecurity, loadConfig } from '@gw/platform';
import { runMain, startConsumers } from '@gw/runtime';
import { ProcessorEnv } from './processor.env';
import { ReadingProcessorModule } from './reading-processor.module';

export async function bootstrap(env: ProcessorEnv) {
  const tuning = consumerTuningOf(env, 'PROCESSOR');
  const health = new ConsumerHealth({ stallSeconds: tuning.stallSeconds });
  const app = await createHttpApp(ReadingProcessorModule.forRoot(env, health), {
    name: 'reading-processor',
    description:
      'Validation-and-storage consumer of meter-readings.submitted.v1 (HTTP only for health and metrics)',
    logLevel: env.LOG_LEVEL,
    managementToken: env.MANAGEMENT_TOKEN,
  });
  app.connectMicroservice(
    {
      strategy: new KafkaBatchServer({
        kafka: createKafka(env.KAFKA_BROKERS, 'reading-processor-consumer', kafkaSecurity(env)),
        groupId: env.PROCESSOR_GROUP_ID,
        health,
        tuning,
        concurrency: env.PROCESSOR_CONCURRENCY,
        maxBytesPerPartition: env.PROCESSOR_MAX_BYTES_PER_PARTITION,
        fromBeginning: env.PROCESSOR_FROM_BEGINNING,
        isOutage: isDatabaseUnavailable,
        topicOverrides: { [TOPICS.submitted]: env.PROCESSOR_TOPIC },
      }),
    },
    { inheritAppConfig: true },
  );
  await app.listen(env.READING_PROCESSOR_PORT, '0.0.0.0');
  await startConsumers(app);
  return app;
}

/** Starts the app from the environment; a failure to boot is one JSON line and exit code 1. */
export const main = () => runMain('reading-processor', () => bootstrap(loadConfig(ProcessorEnv)));

if (require.main === module) main();
