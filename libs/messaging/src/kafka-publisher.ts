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
  private readonly producer: Producer;
  private connecting: Promise<void> | null = null;

  constructor(
    kafka: Kafka,
    private readonly timeoutMs: number,
  ) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      retry: { retries: 3, initialRetryTime: 100 },
    });
    this.producer.on('producer.disconnect', () => (this.connecting = null));
  }

  async publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no acknowledgement within ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
    });
    try {
      await Promise.race([this.send(topic, messages), deadline]);
    } catch (error) {
      throw new BrokerUnavailableError((error as Error).message);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Readiness: the producer can reach the cluster. */
  async isConnected(): Promise<boolean> {
    try {
      await this.connect();
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
  }

  private async send(topic: string, messages: OutgoingMessage[]): Promise<void> {
    await this.connect();
    for (const chunk of chunksUnder(messages, MAX_REQUEST_BYTES)) {
      await this.producer.send({
        topic,
        acks: -1,
        compression: CompressionTypes.None,
        messages: chunk,
      });
    }
  }

  private connect(): Promise<void> {
    this.connecting ??= this.producer.connect().catch((error) => {
      this.connecting = null;
      throw error;
    });
    return this.connecting;
  }
}
