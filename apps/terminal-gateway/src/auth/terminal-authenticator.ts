import { Injectable } from '@nestjs/common';
import { TerminalRepository } from '@gw/persistence';
import {
  generateSecret,
  hashPassword,
  ipAllowed,
  parseBasicAuth,
  verifyPassword,
} from '@gw/platform';

export interface AuthenticatedTerminal {
  terminalId: string;
}

/**
 * HTTP Basic credentials of a terminal against its slow (scrypt) hash and its IP allow-list.
 * Terminals retry aggressively; `verifyPassword` remembers a recent result, so a retry with the
 * same credentials costs no second scrypt, and a reset password takes effect at once.
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
    return terminal && passwordOk && ipAllowed(terminal.allowedIps, ip)
      ? { terminalId: terminal.terminalId }
      : null;
  }
}
