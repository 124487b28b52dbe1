import { BrokerUnavailableError } from '@gw/platform';
import {
  type Kafka,
  KafkaJSNonRetriableError,
  KafkaJSProtocolError,
  type Producer,
  type ProducerConfig,
  type ProducerRecord,
} from 'kafkajs';
import { KafkaPublisher, MessageTooLargeError } from './kafka-publisher';

/** A Kafka whose producers answer each send from a script: true acknowledges, false fails. */
function scriptedKafka(
  answers: boolean[],
  refuse: (record: ProducerRecord) => Error | null = () => null,
) {
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
          const refusal = refuse(record);
          if (refusal) throw refusal;
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

  it("counts the time a call waited for the wave ahead of it against the call's own limit", async () => {
    // A broker that never answers: every wave runs until its deadline.
    const sent: string[][] = [];
    const kafka = {
      producer: () =>
        ({
          connect: async () => undefined,
          disconnect: async () => undefined,
          on: () => () => undefined,
          send: (record: ProducerRecord) => {
            sent.push(record.messages.map((m) => String(m.key)));
            return new Promise(() => undefined);
          },
        }) as unknown as Producer,
    } as unknown as Kafka;
    const publisher = new KafkaPublisher(kafka, 1000);
    const first = publisher.publish('t', [message('first')]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const calledAt = Date.now();
    const second = publisher.publish('t', [message('second')]);
    await expect(first).rejects.toBeInstanceOf(BrokerUnavailableError);
    await expect(second).rejects.toBeInstanceOf(BrokerUnavailableError);
    // Its own limit from the call (1,000 ms), not a fresh one from its wave (1,700 ms).
    expect(Date.now() - calledAt).toBeLessThan(1000 + 350);
    expect(sent).toEqual([['first'], ['second']]);
  });

  it('disconnects a producer it gave up on only once its send has settled, as kafkajs connects a disconnected one again', async () => {
    const disconnected: number[] = [];
    const timeouts: (() => void)[] = [];
    let producers = 0;
    const kafka = {
      producer: () => {
        const id = (producers += 1);
        return {
          connect: async () => undefined,
          disconnect: async () => void disconnected.push(id),
          on: () => () => undefined,
          // A frozen broker: the request fails only at kafkajs' own request timeout.
          send: () =>
            new Promise((_, reject) => timeouts.push(() => reject(new Error('Request timed out')))),
        } as unknown as Producer;
      },
    } as unknown as Kafka;
    const publisher = new KafkaPublisher(kafka, 200);
    await expect(publisher.publish('t', [message('a')])).rejects.toBeInstanceOf(
      BrokerUnavailableError,
    );
    expect(producers).toBe(2);
    expect(disconnected).toEqual([]);
    timeouts[0]();
    await new Promise((resolve) => setImmediate(resolve));
    expect(disconnected).toEqual([1]);
  });

  describe('a message Kafka refuses as too large', () => {
    /** What kafkajs throws for a produce response with error code 10. */
    const tooLarge = () =>
      new KafkaJSProtocolError(
        Object.assign(
          new Error('The request included a message larger than the max message size'),
          {
            type: 'MESSAGE_TOO_LARGE',
            code: 10,
            retriable: false,
          },
        ),
      );
    const refusing = (answer: () => Error) => (record: ProducerRecord) =>
      record.messages.some((m) => m.value === 'big') ? answer() : null;

    it.each<[string, () => Error]>([
      ['as kafkajs answers it', tooLarge],
      [
        // As kafkajs' retrier wraps it: `new KafkaJSNonRetriableError(e, { cause: e })`.
        'wrapped as the cause of another kafkajs error',
        () => Object.assign(new KafkaJSNonRetriableError(tooLarge()), { cause: tooLarge() }),
      ],
    ])(
      'fails the call at once with MessageTooLargeError, %s, and is not sent again',
      async (_, answer) => {
        const { kafka, sent } = scriptedKafka([], refusing(answer));
        const refused = new KafkaPublisher(kafka, 5000).publish('t', [{ key: 'a', value: 'big' }]);
        await expect(refused).rejects.toBeInstanceOf(MessageTooLargeError);
        await expect(refused).rejects.toMatchObject({ topic: 't' });
        expect(sent).toHaveLength(1);
      },
    );

    it('fails a message larger than a request the broker takes at once, without sending it', async () => {
      // Kafka closes the connection on a request over socket.request.max.bytes (100 MiB by
      // default) instead of answering: sent, such a message would look like an outage forever.
      const { kafka, sent } = scriptedKafka([true]);
      const huge = { key: 'a', value: Buffer.alloc(100 * 1024 * 1024 + 1) };
      const refused = new KafkaPublisher(kafka, 5000).publish('t', [huge]);
      await expect(refused).rejects.toBeInstanceOf(MessageTooLargeError);
      await expect(refused).rejects.toMatchObject({ topic: 't' });
      expect(sent).toHaveLength(0);
    });

    it('fails only the calls that carry it; the other callers of the same wave are acknowledged', async () => {
      const { kafka, sent } = scriptedKafka([], refusing(tooLarge));
      const publisher = new KafkaPublisher(kafka, 5000);
      const results = await Promise.allSettled([
        publisher.publish('t', [message('first')]),
        // These three wait for the first request and go together in the next one.
        publisher.publish('t', [message('before')]),
        publisher.publish('t', [{ key: 'x', value: 'big' }]),
        publisher.publish('t', [message('after')]),
      ]);
      expect(results.map((r) => r.status)).toEqual([
        'fulfilled',
        'fulfilled',
        'rejected',
        'fulfilled',
      ]);
      expect((results[2] as PromiseRejectedResult).reason).toBeInstanceOf(MessageTooLargeError);
      const keys = sent.map((s) => s.record.messages.map((m) => m.key));
      // The refused wave of three calls goes again call by call: each message is acknowledged
      // once, and `x` alone is refused.
      expect(keys).toEqual([['first'], ['before', 'x', 'after'], ['before'], ['x'], ['after']]);
    });

    it('sends a call whose messages the topic takes only apart in halves, in order, and resolves', async () => {
      // A topic that takes at most two of these messages in one batch.
      const { kafka, sent } = scriptedKafka([], (record) =>
        record.messages.length > 2 ? tooLarge() : null,
      );
      const keys = ['a', 'b', 'c', 'd', 'e'];
      await new KafkaPublisher(kafka, 5000).publish('t', keys.map(message));
      const acknowledged = sent
        .map((s) => s.record.messages.map((m) => m.key))
        .filter((batch) => batch.length <= 2);
      expect(acknowledged).toEqual([['a', 'b'], ['c'], ['d', 'e']]);
    });
  });
});
