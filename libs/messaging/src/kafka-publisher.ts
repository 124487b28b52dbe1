import { BrokerUnavailableError } from '@gw/platform';
import { CompressionTypes, type IHeaders, type Kafka, type Producer } from 'kafkajs';

export interface OutgoingMessage {
  key: string;
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
 */
export class KafkaPublisher {
  private producer: Producer;
  private readonly connected = new WeakMap<Producer, Promise<void>>();

  constructor(
    private readonly kafka: Kafka,
    private readonly timeoutMs: number,
  ) {
    this.producer = this.createProducer();
  }

  async publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const producer = this.producer;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no acknowledgement within ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
    });
    try {
      await Promise.race([this.send(producer, topic, messages), deadline]);
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

  private async send(
    producer: Producer,
    topic: string,
    messages: OutgoingMessage[],
  ): Promise<void> {
    await this.connect(producer);
    for (const chunk of chunksUnder(messages, MAX_REQUEST_BYTES)) {
      await producer.send({
        topic,
        acks: -1,
        compression: CompressionTypes.None,
        messages: chunk,
      });
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
