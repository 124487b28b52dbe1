import type { IHeaders } from 'kafkajs';

/** One Kafka message as the consumer port hands it over: bytes and coordinates, nothing decoded. */
export interface InboundMessage {
  key: Buffer | null;
  value: Buffer | null;
  /** As kafkajs reads them: bytes, a repeated name as a list. Read one with `headerText`. */
  headers: IHeaders;
  offset: string;
  timestamp: string;
}

/** A batch of one partition, in offset order. Its offsets are committed only after the handler resolves. */
export interface InboundBatch {
  topic: string;
  partition: number;
  messages: InboundMessage[];
}
