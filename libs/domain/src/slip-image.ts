/** The image types a scanned slip may come in, with the file signature each starts with. */
export const SLIP_IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type SlipImageType = (typeof SLIP_IMAGE_TYPES)[number];

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

const startsWith = (bytes: Uint8Array, signature: number[], at = 0) =>
  bytes.length >= at + signature.length && signature.every((b, i) => bytes[at + i] === b);

/**
 * The type of an image by its leading bytes, never by its name or declared type: JPEG (SOI and a
 * marker), PNG (the 8-byte signature), WebP (a RIFF container of form WEBP). Null for anything else.
 */
export function sniffSlipImageType(bytes: Uint8Array): SlipImageType | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x89, ...ascii('PNG'), 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'image/webp';
  return null;
}

/**
 * Where a configured image store keeps the image a row names: `imageRef` appended to the store's
 * base URL, each path segment percent-encoded. Null when the ref would leave the base (an empty,
 * `.` or `..` segment), so a ref can never reach another path or host of the store's server.
 */
export function slipImageUrl(storeUrl: string, imageRef: string): string | null {
  const segments = imageRef.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return null;
  const base = storeUrl.endsWith('/') ? storeUrl : `${storeUrl}/`;
  return base + segments.map(encodeURIComponent).join('/');
}
