import { setTimeout as sleep } from 'node:timers/promises';
import { BrokerUnavailableError, CallBatcher } from '@gw/platform';
import { CompressionTypes, type IHeaders, type Kafka, type Producer } from 'kafkajs';
import { keyPartitioner } from './key-partitioner';
import { chunksUnder, messageBytes } from './message-chunks';

export interface OutgoingMessage {
  /** Null for no key: a dead letter keeps the original's, which may have had none. */
  key: string | Buffer | null;
  value: string | Buffer;
  headers?: IHeaders;
}

/** The pause before a failed wave is sent again: doubling from the first to the last. */
const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 1000;

/**
 * Well under the broker's default 1 MiB record-batch limit; a topic that takes less gets smaller
 * requests (see `sendChunk`).
 */
const MAX_REQUEST_BYTES = 512 * 1024;

/**
 * Kafka's default `socket.request.max.bytes`. The broker does not answer a larger request: it
 * closes the connection, which looks like an outage, so such a message would be tried forever. A
 * message too large for it (a dead letter of a compressed record, larger uncompressed) is refused
 * here, as the broker refuses one too large for its topic.
 */
const MAX_BROKER_REQUEST_BYTES = 100 * 1024 * 1024;

/** kafkajs' error types for refusals no retry changes: a message, or a batch, too large. */
const SIZE_REFUSALS = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE']);

function isSizeRefusal(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause)
    if (SIZE_REFUSALS.has((e as { type?: string }).type ?? '')) return true;
  return false;
}

/** Kafka refused a message as too large for the topic: sending it again cannot help. */
export class MessageTooLargeError extends Error {
  constructor(
    readonly topic: string,
    cause: Error,
  ) {
    super(`${topic}: ${cause.message}`, { cause });
    this.name = 'MessageTooLargeError';
  }
}

/** A call's messages, for one topic, and when its caller must have an answer. */
interface Call {
  topic: string;
  messages: OutgoingMessage[];
  deadline: number;
}

/** What a call's caller hears: null once acknowledged, else the error to throw. */
type Answer = Error | null;

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * The only way messages leave the gateway: a producer with acks from all in-sync replicas.
 * `publish` resolves only when Kafka has acknowledged every message, or fails with
 * BrokerUnavailableError within the time limit of the call, so an edge never acknowledges what
 * Kafka lacks and always answers in time. A message Kafka refuses as too large for its topic fails
 * the call at once with MessageTooLargeError: no wait cures that, and it is no outage.
 *
 * With one request in flight (what idempotence needs), a produce request per call would make
 * concurrent callers queue for a round trip each; instead, calls made while a request is in flight
 * go together in the next one, and each caller hears the outcome of the request that carried its
 * messages. The time a call waited for the requests ahead of it counts against its limit: a wave is
 * sent until the earliest deadline of its calls, and not at all once that has passed.
 */
export class KafkaPublisher {
  private producer: Producer;
  private readonly connected = new WeakMap<Producer, Promise<void>>();
  private readonly waves = new CallBatcher<Call, Answer>((calls) => this.publishWave(calls));

  constructor(
    private readonly kafka: Kafka,
    private readonly timeoutMs: number,
  ) {
    this.producer = this.createProducer();
  }

  async publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const failure = await this.waves.call({
      topic,
      messages,
      deadline: Date.now() + this.timeoutMs,
    });
    if (failure) throw failure;
  }

  /**
   * Each call's answer: null once acknowledged, else why not. A wave refused for size is sent again
   * call by call, so that the calls of other callers still go through and only those carrying what
   * Kafka refuses fail.
   */
  private async publishWave(calls: Call[]): Promise<Answer[]> {
    const failure = await this.sendWave(calls).then(() => null, asError);
    if (!(failure instanceof MessageTooLargeError) || calls.length === 1)
      return calls.map(() => failure);
    const answers: Answer[] = [];
    for (const call of calls) answers.push(await this.sendWave([call]).then(() => null, asError));
    return answers;
  }

  /**
   * Sends a wave whole, again and again on a fresh producer, until Kafka acknowledges all of it or
   * the time limit passes. kafkajs' own retry cannot be trusted with this: when a partition's
   * leader moves to a broker that already answered for other partitions of the same send, it
   * resolves without sending that partition's messages again (kafkajs issue #1303), so its
   * producers get no retries and a failed send is repeated here in full, on a new producer.
   */
  private async sendWave(calls: Call[]): Promise<void> {
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const { topic, messages } of calls) {
      const list = byTopic.get(topic) ?? [];
      for (const message of messages) list.push(message);
      byTopic.set(topic, list);
    }
    const deadline = Math.min(...calls.map((call) => call.deadline));
    if (Date.now() >= deadline)
      throw new BrokerUnavailableError(`no time left of ${this.timeoutMs} ms to send`);
    for (let attempt = 0; ; attempt += 1) {
      const producer = this.producer;
      const sending = this.send(producer, byTopic, calls.length === 1);
      try {
        await this.beforeDeadline(sending, deadline);
        return;
      } catch (error) {
        if (error instanceof MessageTooLargeError) throw error;
        this.discard(producer, sending);
        const pause = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** attempt);
        if (Date.now() + pause >= deadline)
          throw new BrokerUnavailableError((error as Error).message);
        await sleep(pause);
      }
    }
  }

  private async beforeDeadline(work: Promise<void>, deadline: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no acknowledgement within ${this.timeoutMs} ms`)),
        Math.max(0, deadline - Date.now()),
      );
    });
    try {
      await Promise.race([work, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
  }

  private createProducer(): Producer {
    // No retries inside kafkajs (see publishWave), which kafkajs allows only without idempotence:
    // a repeated wave may put a message on the topic twice, and its submission id makes the
    // processor store it once. One request in flight keeps each partition in the callers' order.
    // Keys are hashed by `keyPartitioner`: a dead letter's key is whatever the original record had.
    const producer = this.kafka.producer({
      createPartitioner: keyPartitioner,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      retry: { retries: 0 },
    });
    producer.on('producer.disconnect', () => this.connected.delete(producer));
    return producer;
  }

  /**
   * Drops a producer whose send failed or timed out; the next publish starts a new one with a new
   * producer id. It is disconnected once that send has settled: kafkajs connects again a producer
   * disconnected while its connect or send is under way, and nothing would disconnect it after
   * that, so every call timed out on a frozen broker left a connection open.
   */
  private discard(producer: Producer, sending: Promise<void>): void {
    if (producer !== this.producer) return;
    this.producer = this.createProducer();
    sending
      .catch(() => undefined)
      .then(() => producer.disconnect())
      .catch(() => undefined);
  }

  /** `halving`: a request refused for size goes again in halves (see `sendChunk`). */
  private async send(
    producer: Producer,
    byTopic: Map<string, OutgoingMessage[]>,
    halving: boolean,
  ): Promise<void> {
    await this.connect(producer);
    for (const [topic, messages] of byTopic)
      for (const chunk of chunksUnder(messages, MAX_REQUEST_BYTES)) {
        // A message over MAX_REQUEST_BYTES comes alone in its chunk.
        const bytes = messageBytes(chunk[0]);
        if (bytes > MAX_BROKER_REQUEST_BYTES)
          throw new MessageTooLargeError(
            topic,
            new Error(
              `a message of ${bytes} bytes is larger than a request the broker takes (${MAX_BROKER_REQUEST_BYTES} bytes)`,
            ),
          );
        await this.sendChunk(producer, topic, chunk, halving);
      }
  }

  /**
   * Sends `messages` in one request. A topic whose `max.message.bytes` is below MAX_REQUEST_BYTES
   * refuses a batch of messages that each fit it: those go again in halves, in order, so that only
   * a message too large on its own fails with MessageTooLargeError. Messages of partitions the
   * refused request did write go twice, as after any failed send. Only a wave of one call halves:
   * a wave of several fails whole and goes again call by call (`publishWave`), and halves acknowledged
   * before the failure would then go twice.
   */
  private async sendChunk(
    producer: Producer,
    topic: string,
    messages: OutgoingMessage[],
    halving: boolean,
  ): Promise<void> {
    try {
      await producer.send({ topic, acks: -1, compression: CompressionTypes.None, messages });
    } catch (error) {
      if (!isSizeRefusal(error)) throw error;
      if (messages.length === 1 || !halving) throw new MessageTooLargeError(topic, error as Error);
      const half = Math.ceil(messages.length / 2);
      await this.sendChunk(producer, topic, messages.slice(0, half), halving);
      await this.sendChunk(producer, topic, messages.slice(half), halving);
    }
  }

  private connect(producer: Producer): Promise<void> {
    let connecting = this.connected.get(producer);
    if (!connecting) {
      connecting = producer.connect().catch((error) => {
        this.connected.delete(producer);
        throw error;
      });
      this.connected.set(producer, connecting);
    }
    return connecting;
  }
}
