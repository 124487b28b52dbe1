import { isIPv6 } from 'node:net';
import { plainAddress } from '../auth/ip-allow-list';

/** The eight 16-bit groups of a valid IPv6 address, a trailing dotted IPv4 part counted as two. */
function ipv6Groups(address: string): number[] {
  const parse = (part: string) =>
    part === ''
      ? []
      : part.split(':').flatMap((group) => {
          if (!group.includes('.')) return [parseInt(group, 16)];
          const [a, b, c, d] = group.split('.').map(Number);
          return [(a << 8) | b, (c << 8) | d];
        });
  const [head, tail] = address.split('::');
  if (tail === undefined) return parse(head);
  const [front, back] = [parse(head), parse(tail)];
  return [...front, ...Array<number>(8 - front.length - back.length).fill(0), ...back];
}

/**
 * What a per-address limit counts a client under: an IPv4 address as it is (written IPv4-mapped
 * too), and an IPv6 address by its /64, the block a provider hands one subscriber, so a client
 * cannot pass the limit by taking the next address of its own block. Anything else (an empty
 * address) is returned as it is.
 */
export function addressBlock(ip: string): string {
  const plain = plainAddress(ip);
  const address = plain.split('%')[0];
  if (!isIPv6(address)) return plain;
  const prefix = ipv6Groups(address.toLowerCase()).slice(0, 4);
  return `${prefix.map((group) => group.toString(16)).join(':')}::/64`;
}
