import { hash } from 'node:crypto';

/**
 * A UUID in its canonical text form, any version, either case: submission, session and resident
 * ids. Checked before such an id reaches PostgreSQL, whose uuid type refuses anything else with an
 * error rather than an empty answer.
 */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (text: string): boolean => UUID_PATTERN.test(text);

/** A hex digit d as (d & 0b0011) | 0b1000: the variant's digit. */
const VARIANT_DIGIT = '89ab89ab89ab89ab';

/** A name-based UUID (RFC 9562 version 5, SHA-1) of `name` in the 16-byte `namespace`. */
export function uuidV5(namespace: Buffer, name: string): string {
  const data = Buffer.allocUnsafe(namespace.length + Buffer.byteLength(name));
  namespace.copy(data);
  data.write(name, namespace.length);
  // One-shot hashing straight to hex: this runs for every reading of every batch.
  const hex = hash('sha1', data, 'hex');
  // The version nibble becomes 5, and the variant's two top bits 10 (RFC 9562, sections 5.5 and 4.1).
  const variant = VARIANT_DIGIT[parseInt(hex[16], 16)];
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
