import { counter } from '@gw/platform';
import { knownCommand } from './osmp-params';

export const osmpRequests = counter(
  'terminal_osmp_requests_total',
  'OSMP requests by command and result code',
  ['command', 'result'],
);

/** The command label of a request, bounded to the protocol's own names. */
export function commandLabel(command: unknown): string {
  return knownCommand(command) ?? 'other';
}
