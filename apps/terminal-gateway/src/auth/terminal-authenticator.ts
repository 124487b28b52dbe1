import { Injectable } from '@nestjs/common';
import {
  generateSecret,
  hashPassword,
  ipAllowed,
  parseBasicAuth,
  verifyPassword,
} from '@gw/platform';
import { TerminalRepository } from '../persistence/terminal.repository';

export interface AuthenticatedTerminal {
  terminalId: string;
}

/**
 * HTTP Basic credentials of a terminal against its slow (scrypt) hash, its IP allow-list and its
 * status. Terminals retry aggressively; `verifyPassword` remembers a recent result, so a retry with
 * the same credentials costs no second scrypt. The terminal itself is read on every request, so a
 * reset password, a new allow-list and `ctl terminal disable` take effect at the next one.
 */
@Injectable()
export class TerminalAuthenticator {
  private dummyHash: Promise<string> | null = null;

  constructor(private readonly terminals: TerminalRepository) {}

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
      (terminal.allowList.anyIp || ipAllowed(terminal.allowList.ranges, ip));
    return allowed ? { terminalId: terminal.terminalId } : null;
  }
}
