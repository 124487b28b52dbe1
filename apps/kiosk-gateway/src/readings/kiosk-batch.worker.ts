import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createKafka, KafkaPublisher, SubmissionPublisher } from '@gw/messaging';
import { jsonLogger, serveInWorker } from '@gw/platform';
import { workerData } from 'node:worker_threads';
import type { KioskWorkerData } from './kiosk-batch-workers';
import type { KioskBatchInput } from './prepare-kiosk-batch';
import { queueKioskBatch } from './queue-kiosk-batch';

/** A worker thread of KioskBatchWorkers, with a Kafka publisher of its own. */
const { brokers, security, clientId, sendTimeoutMs, topic, logLevel } =
  workerData as KioskWorkerData;
// kafkajs logs through Nest's Logger: JSON lines, like the rest of the app.
Logger.overrideLogger(jsonLogger(clientId, logLevel));
const kafka = new KafkaPublisher(createKafka(brokers, clientId, security), sendTimeoutMs);
const publisher = new SubmissionPublisher(kafka);

serveInWorker(
  (input: KioskBatchInput) => queueKioskBatch(input, publisher, topic),
  () => kafka.close(),
);
