declare module 'lz4js' {
  /** The bytes of one LZ4 frame (the format of Kafka's LZ4 batches), decompressed. */
  export function decompress(frame: Uint8Array, maxSize?: number): Uint8Array;
  /** `bytes` as one LZ4 frame. */
  export function compress(bytes: Uint8Array, maxSize?: number): Uint8Array;
}
