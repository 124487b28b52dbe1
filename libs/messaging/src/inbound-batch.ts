/** One Kafka message as the consumer port hands it over: bytes and coordinates, nothing decoded. */
export interface InboundMessage {
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
  offset: string;
  timestamp: string;
}

/** A batch of one partition, in offset order. Its offsets are committed only after the handler resolves. */
export interface InboundBatch {
  topic: string;
  partition: number;
  messages: InboundMessage[];
}
