import { BrokerUnavailableError } from '@gw/platform';
import type { Kafka, Producer, ProducerConfig, ProducerRecord } from 'kafkajs';
import { KafkaPublisher } from './kafka-publisher';

/** A Kafka whose producers answer each send from a script: true acknowledges, false fails. */
function scriptedKafka(answers: boolean[]) {
  const configs: ProducerConfig[] = [];
  const sent: { producer: number; record: ProducerRecord }[] = [];
  const kafka = {
    producer(config: ProducerConfig) {
      const id = configs.push(config);
      return {
        connect: async () => undefined,
        disconnect: async () => undefined,
        on: () => () => undefined,
        send: async (record: ProducerRecord) => {
          sent.push({ producer: id, record });
          if (answers.shift() === false) throw new Error('connect ECONNREFUSED');
          return [];
        },
      } as unknown as Producer;
    },
  } as unknown as Kafka;
  return { kafka, configs, sent };
}

const message = (key: string) => ({ key, value: `{"id":"${key}"}` });

describe('KafkaPublisher', () => {
  it('gives kafkajs no retries of its own, since a retried send may skip partitions', async () => {
    const { kafka, configs } = scriptedKafka([true]);
    await new KafkaPublisher(kafka, 1000).publish('t', [message('a')]);
    expect(configs[0]).toMatchObject({ retry: { retries: 0 } });
  });

  it('sends a failed wave again in full on a fresh producer, and resolves once that is acknowledged', async () => {
    const { kafka, sent } = scriptedKafka([false, true]);
    await new KafkaPublisher(kafka, 5000).publish('t', [message('a'), message('b')]);
    expect(sent.map((s) => s.producer)).toEqual([1, 2]);
    expect(sent[1].record.messages.map((m) => m.key)).toEqual(['a', 'b']);
  });

  it('answers BrokerUnavailableError when nothing is acknowledged within the time limit', async () => {
    const { kafka, sent } = scriptedKafka(Array(100).fill(false));
    const started = Date.now();
    await expect(
      new KafkaPublisher(kafka, 400).publish('t', [message('a')]),
    ).rejects.toBeInstanceOf(BrokerUnavailableError);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(sent.length).toBeGreaterThan(1);
  });
});
