import { createKafka, KafkaPublisher } from '@gw/messaging';
import { createServer } from 'node:http';

/**
 * The benchmark's baseline: a bare Node `http` server that reads a kiosk batch, parses the JSON and
 * produces each item to Kafka with the gateway's own producer (KafkaPublisher: idempotent,
 * acks=all), answering 202 once Kafka acknowledged. No auth, validation or canonical messages.
 * Env: BASELINE_PORT, KAFKA_BROKERS, BENCH_TOPIC.
 */
const publisher = new KafkaPublisher(
  createKafka((process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), 'kiosk-bench-baseline'),
  10000,
);
const topic = process.env.BENCH_TOPIC as string;

createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', async () => {
    try {
      const batch = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      await publisher.publish(
        topic,
        batch.items.map((item: { accountNumber: string }) => ({
          key: item.accountNumber,
          value: JSON.stringify(item),
        })),
      );
      res.writeHead(202, { 'Content-Type': 'application/json' }).end('{"status":"queued"}');
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
}).listen(Number(process.env.BASELINE_PORT), '127.0.0.1');

// A clean exit on SIGTERM, so that a CPU profile (BENCH_CPU_PROF) gets written.
process.once('SIGTERM', () => void publisher.close().finally(() => process.exit(0)));
