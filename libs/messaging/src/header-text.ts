import type { IHeaders } from 'kafkajs';

/**
 * The first value of header `name` as UTF-8 text, or undefined when the message has none. Headers
 * travel as Kafka holds them (bytes, a repeated name as a list), so that a dead letter and its
 * replay keep them byte for byte; this is the one place a header the gateway reads becomes text.
 */
export function headerText(headers: IHeaders, name: string): string | undefined {
  const value = headers[name];
  const first: unknown = Array.isArray(value) ? value[0] : value;
  if (typeof first === 'string') return first;
  return Buffer.isBuffer(first) ? first.toString('utf8') : undefined;
}
