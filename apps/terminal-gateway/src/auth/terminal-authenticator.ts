import { Injectable } from '@nestjs/common';
import type { TerminalAllowList } from '@gw/persistence';
import {
  generateSecret,
  hashPassword,
  ipAllowed,
  parseBasicAuth,
  upgradeWeakHash,
  verifyPassword,
} from '@gw/platform';
import { TerminalRepository } from '../persistence/terminal.repository';
import { TerminalEnv } from '../terminal.env';

export interface AuthenticatedTerminal {
  terminalId: string;
}

/**
 * HTTP Basic credentials of a terminal against its slow (scrypt) hash, its IP allow-list and its
 * status. Terminals retry aggressively; `verifyPassword` remembers a recent result, so a retry with
 * the same credentials costs no second scrypt. The terminal itself is read on every request, so a
 * reset password, a new allow-list and `ctl terminal disable` take effect at the next one. A hash
 * older than today's scrypt parameters is replaced at the terminal's first successful request.
 */
@Injectable()
export class TerminalAuthenticator {
  private dummyHash: Promise<string> | null = null;

  private readonly development: boolean;

  constructor(
    private readonly terminals: TerminalRepository,
    env: TerminalEnv,
  ) {
    this.development = env.GATEWAY_MODE === 'development';
  }

  async authenticate(
    authorization: string | undefined,
    ip: string | undefined,
  ): Promise<AuthenticatedTerminal | null> {
    const credentials = parseBasicAuth(authorization);
    if (!credentials || credentials.login.length > 64) return null;
    const terminal = await this.terminals.findByLogin(credentials.login);
    // An unknown login is checked against a dummy hash, so timing does not tell which logins exist.
    const passwordOk = await verifyPassword(
      credentials.password,
      terminal?.passwordHash ?? (await (this.dummyHash ??= hashPassword(generateSecret()))),
    );
    // Disabled is checked after the password, so a disabled terminal that keeps retrying costs no
    // scrypt, and its answer is the same 401 as for a wrong password.
    const allowed =
      terminal !== null &&
      passwordOk &&
      !terminal.disabled &&
      callerAllowed(terminal.allowList, ip, this.development);
    if (!allowed) return null;
    await upgradeWeakHash(terminal.passwordHash, credentials.password, (stronger) =>
      this.terminals.upgradePasswordHash(terminal.terminalId, terminal.passwordHash, stronger),
    );
    return { terminalId: terminal.terminalId };
  }
}

/**
 * Whether a terminal may call from `ip`: an address in its ranges, any address when it was added
 * with `--allow-any`, and, when it was added with no list at all, any address in development mode
 * and none otherwise.
 */
export function callerAllowed(
  allowList: TerminalAllowList,
  ip: string | undefined,
  development: boolean,
): boolean {
  if (allowList.anyIp) return true;
  if (allowList.ranges.length === 0) return development;
  return ipAllowed(allowList.ranges, ip);
}
