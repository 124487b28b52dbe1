import { BrokerUnavailableError, CallBatcher } from '@gw/platform';
import { CompressionTypes, type IHeaders, type Kafka, type Producer } from 'kafkajs';

export interface OutgoingMessage {
  key: string | Buffer;
  value: string | Buffer;
  headers?: IHeaders;
}

/** Well under the broker's default 1 MiB record-batch limit. */
const MAX_REQUEST_BYTES = 512 * 1024;

function* chunksUnder(messages: OutgoingMessage[], maxBytes: number): Generator<OutgoingMessage[]> {
  let chunk: OutgoingMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = message.key.length + message.value.length + 64;
    if (chunk.length > 0 && bytes + size > maxBytes) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(message);
    bytes += size;
  }
  if (chunk.length > 0) yield chunk;
}

/**
 * The only way messages leave the gateway: an idempotent producer with acks from all in-sync
 * replicas. `publish` resolves only when Kafka has acknowledged every message, or fails with
 * BrokerUnavailableError within the time limit, so an edge never acknowledges what Kafka lacks.
 *
 * With one request in flight (what idempotence needs), a produce request per call would make
 * concurrent callers queue for a round trip each; instead, calls made while a request is in flight
 * go together in the next one, and each caller hears the outcome of the request that carried its
 * messages.
 */
export class KafkaPublisher {
  private producer: Producer;
  private readonly connected = new WeakMap<Producer, Promise<void>>();
  private readonly waves = new CallBatcher<{ topic: string; messages: OutgoingMessage[] }, void>(
    async (calls) => {
      await this.publishWave(calls);
      return calls.map(() => undefined);
    },
  );

  constructor(
    private readonly kafka: Kafka,
    private readonly timeoutMs: number,
  ) {
    this.producer = this.createProducer();
  }

  async publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (messages.length > 0) await this.waves.call({ topic, messages });
  }

  private async publishWave(
    calls: { topic: string; messages: OutgoingMessage[] }[],
  ): Promise<void> {
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const { topic, messages } of calls) {
      const list = byTopic.get(topic) ?? [];
      for (const message of messages) list.push(message);
      byTopic.set(topic, list);
    }
    const producer = this.producer;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no acknowledgement within ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
    });
    try {
      await Promise.race([this.send(producer, byTopic), deadline]);
    } catch (error) {
      this.discard(producer);
      throw new BrokerUnavailableError((error as Error).message);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
  }

  private createProducer(): Producer {
    // Retries are bounded so that a caller hears "unavailable" in time; a producer whose send
    // failed is replaced (see discard), so its idempotence sequence never continues after a gap.
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      retry: { retries: 3, initialRetryTime: 100 },
    });
    producer.on('producer.disconnect', () => this.connected.delete(producer));
    return producer;
  }

  /** Drops a producer whose send failed; the next publish starts a new one with a new producer id. */
  private discard(producer: Producer): void {
    if (producer !== this.producer) return;
    this.producer = this.createProducer();
    producer.disconnect().catch(() => undefined);
  }

  private async send(producer: Producer, byTopic: Map<string, OutgoingMessage[]>): Promise<void> {
    await this.connect(producer);
    for (const [topic, messages] of byTopic)
      for (const chunk of chunksUnder(messages, MAX_REQUEST_BYTES))
        await producer.send({
          topic,
          acks: -1,
          compression: CompressionTypes.None,
          messages: chunk,
        });
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
