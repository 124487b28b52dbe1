import type { EncodedSubmission } from './build-submission';

/**
 * Encoded submissions as one block of UTF-8 bytes, so that a worker thread hands a batch's Kafka
 * records to the event loop by transferring that block instead of cloning an object and two
 * strings per record. `bounds` holds, for record i, where its key (2i) and its value (2i + 1)
 * start, and then where the last value ends.
 */
export interface PackedSubmissions {
  bytes: ArrayBuffer;
  bounds: Uint32Array;
}

/** A record of a PackedSubmissions: its key and value are views of the block, not copies. */
export interface UnpackedSubmission {
  key: Buffer;
  value: Buffer;
}

export function packSubmissions(encoded: EncodedSubmission[]): PackedSubmissions {
  const bounds = new Uint32Array(encoded.length * 2 + 1);
  let end = 0;
  encoded.forEach(({ key, value }, i) => {
    bounds[2 * i] = end;
    end += Buffer.byteLength(key);
    bounds[2 * i + 1] = end;
    end += Buffer.byteLength(value);
  });
  bounds[encoded.length * 2] = end;
  // An ArrayBuffer of its own: one from Buffer's shared pool must never be transferred.
  const bytes = new ArrayBuffer(end);
  const block = Buffer.from(bytes);
  encoded.forEach(({ key, value }, i) => {
    block.write(key, bounds[2 * i]);
    block.write(value, bounds[2 * i + 1]);
  });
  return { bytes, bounds };
}

export function unpackSubmissions({ bytes, bounds }: PackedSubmissions): UnpackedSubmission[] {
  const block = Buffer.from(bytes);
  const count = (bounds.length - 1) / 2;
  return Array.from({ length: count }, (_, i) => ({
    key: block.subarray(bounds[2 * i], bounds[2 * i + 1]),
    value: block.subarray(bounds[2 * i + 1], bounds[2 * i + 2]),
  }));
}
