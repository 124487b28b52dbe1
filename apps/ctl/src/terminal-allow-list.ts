import { InvalidArgumentError } from 'commander';
import type { TerminalAllowList } from '@gw/persistence';

/**
 * The allow-list `terminal add` stores: the ranges given with `--allow-ip`, or any address with
 * `--allow-any` or with neither (contract section 5 gives `terminal add <terminalId>` without
 * options, so an open terminal stays possible; `openWarning` says so on stderr). Both is refused.
 */
export function terminalAllowList(ranges: string[], allowAny: boolean): TerminalAllowList {
  if (allowAny && ranges.length > 0)
    throw new InvalidArgumentError('give either --allow-ip or --allow-any, not both');
  if (ranges.length === 0) return { anyIp: true, ranges: [] };
  return { anyIp: false, ranges };
}

/** The warning for a terminal added with no `--allow-ip` and no explicit `--allow-any`. */
export function openWarning(
  terminalId: string,
  ranges: string[],
  allowAny: boolean,
): string | null {
  return ranges.length === 0 && !allowAny
    ? `warning: terminal ${terminalId} may call from any address; give --allow-ip <address or CIDR> to restrict it, or --allow-any to say it is meant`
    : null;
}
