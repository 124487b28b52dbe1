import { BlockList, isIP } from 'node:net';

/** An address or CIDR range normalised to `address/prefix`; null when it is neither. */
export function parseIpRange(text: string): string | null {
  const [address, prefix, extra] = text.trim().split('/');
  if (extra !== undefined) return null;
  const family = isIP(address);
  if (family === 0) return null;
  const max = family === 4 ? 32 : 128;
  if (prefix === undefined) return `${address}/${max}`;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max) return null;
  return `${address}/${Number(prefix)}`;
}

/** Node reports IPv4 peers of a dual-stack socket as `::ffff:a.b.c.d`. */
export function plainAddress(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return mapped ? mapped[1] : ip;
}

/**
 * Whether `ip` lies in one of `ranges`. An empty list allows no address (allowing any is a choice
 * the caller makes explicitly); a malformed range allows none.
 */
export function ipAllowed(ranges: string[], ip: string | undefined): boolean {
  if (!ip) return false;
  const address = plainAddress(ip);
  const family = isIP(address);
  if (family === 0) return false;
  const list = new BlockList();
  for (const range of ranges) {
    const normalised = parseIpRange(range);
    if (!normalised) continue;
    const [base, prefix] = normalised.split('/');
    list.addSubnet(base, Number(prefix), isIP(base) === 4 ? 'ipv4' : 'ipv6');
  }
  return list.check(address, family === 4 ? 'ipv4' : 'ipv6');
}
