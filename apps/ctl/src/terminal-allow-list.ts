import { InvalidArgumentError } from 'commander';
import type { TerminalAllowList } from '@gw/persistence';

/**
 * The allow-list `terminal add` stores: the ranges given with `--allow-ip`, any address with
 * `--allow-any`, or no list with neither (contract section 5 gives `terminal add <terminalId>`
 * without options). A terminal with no list is refused by the gateway outside development mode;
 * `openWarning` says so on stderr. Both options together are refused.
 */
export function terminalAllowList(ranges: string[], allowAny: boolean): TerminalAllowList {
  if (allowAny && ranges.length > 0)
    throw new InvalidArgumentError('give either --allow-ip or --allow-any, not both');
  if (allowAny) return { anyIp: true, ranges: [] };
  return { anyIp: false, ranges };
}

/** The warning for a terminal added with no `--allow-ip` and no explicit `--allow-any`. */
export function openWarning(
  terminalId: string,
  ranges: string[],
  allowAny: boolean,
): string | null {
  return ranges.length === 0 && !allowAny
    ? `warning: terminal ${terminalId} has no allow-list: the terminal gateway refuses it outside development mode (GATEWAY_MODE=development) until it is added again with --allow-ip <address or CIDR>, or with --allow-any to let it call from any address`
    : null;
}
