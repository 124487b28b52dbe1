/**
 * Login and password of an `Authorization: Basic …` header; null when absent or malformed. A login
 * with a control character is malformed: no login has one, and U+0000 could not even be looked up
 * (PostgreSQL text cannot hold it).
 */
export function parseBasicAuth(
  header: string | undefined,
): { login: string; password: string } | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0 || /\p{Cc}/u.test(decoded.slice(0, colon))) return null;
  return { login: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
