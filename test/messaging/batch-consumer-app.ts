import { Controller, Inject, type INestApplication, Module } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import {
  CONSUMER_DEFAULTS,
  ConsumerHealth,
  ConsumerHealthIndicator,
  type ConsumerTuning,
  createKafka,
  type InboundBatch,
  KafkaBatchServer,
} from '@gw/messaging';
import { createHttpApp, ObservabilityModule } from '@gw/platform';
import type { Kafka } from 'kafkajs';

export type BatchHandler = (batch: InboundBatch) => Promise<void>;

const HANDLER = Symbol('HANDLER');
const PATTERN = 'test-batches';

@Controller()
class TestBatchConsumer {
  constructor(@Inject(HANDLER) private readonly handler: BatchHandler) {}

  @EventPattern(PATTERN)
  handle(@Payload() batch: InboundBatch): Promise<void> {
    return this.handler(batch);
  }
}

export interface BatchConsumerApp {
  app: INestApplication;
  server: KafkaBatchServer;
  http: ReturnType<INestApplication['getHttpServer']>;
}

/**
 * The batch transport in an app of its own, with `/health/ready` on its consumer only and a
 * handler the test controls, consuming `topic` as `groupId` (through `kafka`, when given, so a
 * test can watch every consumer the transport creates).
 */
export async function startBatchConsumer({
  brokers,
  groupId,
  topic,
  handler,
  tuning = {},
  kafka = createKafka(brokers, groupId),
}: {
  brokers: string[];
  groupId: string;
  topic: string;
  handler: BatchHandler;
  tuning?: Partial<ConsumerTuning>;
  kafka?: Kafka;
}): Promise<BatchConsumerApp> {
  const settings = { ...CONSUMER_DEFAULTS, ...tuning };
  const health = new ConsumerHealth({ stallSeconds: settings.stallSeconds });

  @Module({
    imports: [
      ObservabilityModule.forRoot(
        [ConsumerHealthIndicator],
        [{ provide: ConsumerHealth, useValue: health }, ConsumerHealthIndicator],
      ),
    ],
    controllers: [TestBatchConsumer],
    providers: [{ provide: HANDLER, useValue: handler }],
  })
  class BatchConsumerModule {}

  const app = await createHttpApp(BatchConsumerModule, {
    name: 'batch-consumer-e2e',
    description: 'batch transport under test',
    logLevel: 'warn',
    managementToken: '',
  });
  const server = new KafkaBatchServer({
    kafka,
    groupId,
    health,
    concurrency: 2,
    maxBytesPerPartition: 65536,
    fromBeginning: true,
    tuning: settings,
    topicOverrides: { [PATTERN]: topic },
  });
  app.connectMicroservice({ strategy: server }, { inheritAppConfig: true });
  await app.startAllMicroservices();
  await app.listen(0, '127.0.0.1');
  return { app, server, http: app.getHttpServer() };
}
