declare module 'snappyjs' {
  /** The bytes of one raw snappy block, decompressed (a Buffer for a Buffer). */
  export function uncompress(block: Buffer, maxLength?: number): Buffer;
  /** `bytes` as one raw snappy block (a Buffer for a Buffer). */
  export function compress(bytes: Buffer): Buffer;
}
