/** Where a terminal may call from: an explicit list of ranges, or any address if so chosen. */
export type TerminalAllowList = { anyIp: true; ranges: [] } | { anyIp: false; ranges: string[] };

/** What issuing a terminal's credentials stores. */
export interface TerminalCredentials {
  terminalId: string;
  login: string;
  passwordHash: string;
  /** Normalised `address/prefix` ranges. */
  allowList: TerminalAllowList;
}

/** A terminal id as `ctl terminal add` accepts it. */
export const TERMINAL_ID = /^[A-Za-z0-9._-]{1,64}$/;
