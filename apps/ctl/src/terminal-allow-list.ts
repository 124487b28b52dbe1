import { InvalidArgumentError } from 'commander';
import type { TerminalAllowList } from '@gw/persistence';

/**
 * The allow-list `terminal add` stores: the ranges given with `--allow-ip`, or any address when
 * `--allow-any` says so. Neither, or both, is refused: an open terminal must be a choice.
 */
export function terminalAllowList(ranges: string[], allowAny: boolean): TerminalAllowList {
  if (allowAny && ranges.length > 0)
    throw new InvalidArgumentError('give either --allow-ip or --allow-any, not both');
  if (allowAny) return { anyIp: true, ranges: [] };
  if (ranges.length === 0)
    throw new InvalidArgumentError(
      'give at least one --allow-ip <address or CIDR> the terminal calls from, or --allow-any to let it call from any address',
    );
  return { anyIp: false, ranges };
}
