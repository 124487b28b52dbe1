import type { OutgoingMessage } from './kafka-publisher';

/** A record's own framing: its length, attributes, timestamp and offset deltas, with room to spare. */
const RECORD_OVERHEAD_BYTES = 64;
/** A header value's framing: the lengths of its name and value. */
const HEADER_OVERHEAD_BYTES = 10;

function bytesOf(data: string | Buffer | null | undefined): number {
  return data == null ? 0 : Buffer.byteLength(data);
}

/** What a message takes in a record batch: its key, value and headers in bytes, and framing. */
export function messageBytes({ key, value, headers = {} }: OutgoingMessage): number {
  let bytes = RECORD_OVERHEAD_BYTES + bytesOf(key) + bytesOf(value);
  for (const [name, values] of Object.entries(headers))
    for (const one of [values].flat())
      bytes += HEADER_OVERHEAD_BYTES + Buffer.byteLength(name) + bytesOf(one);
  return bytes;
}

/**
 * The messages in order, in chunks of at most `maxBytes` each, so that no produce request goes
 * over the broker's limit because of how many messages it carries; a message larger than that
 * goes alone, and only its own size decides whether the broker takes it.
 */
export function* chunksUnder(
  messages: OutgoingMessage[],
  maxBytes: number,
): Generator<OutgoingMessage[]> {
  let chunk: OutgoingMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = messageBytes(message);
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
