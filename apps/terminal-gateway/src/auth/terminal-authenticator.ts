import { Injectable } from '@nestjs/common';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
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

const REMEMBER_MS = 10 * 60 * 1000;
const REMEMBER_MAX = 1000;

interface Remembered {
  passwordHash: string;
  digest: Buffer;
  until: number;
}

/**
 * HTTP Basic credentials of a terminal against its slow (scrypt) hash and its IP allow-list.
 * Terminals retry aggressively, so a password verified a moment ago is remembered as a keyed
 * digest, valid only while the stored hash is unchanged: a reset takes effect at once.
 */
@Injectable()
export class TerminalAuthenticator {
  private readonly key = randomBytes(32);
  private readonly remembered = new Map<string, Remembered>();
  private dummyHash: Promise<string> | null = null;

  constructor(private readonly terminals: TerminalRepository) {}

  async authenticate(
    authorization: string | undefined,
    ip: string | undefined,
  ): Promise<AuthenticatedTerminal | null> {
    const credentials = parseBasicAuth(authorization);
    if (!credentials || credentials.login.length > 64) return null;
    const terminal = await this.terminals.findByLogin(credentials.login);
    if (!terminal) {
      // As slow as a wrong password, so timing does not tell which logins exist.
      this.dummyHash ??= hashPassword(generateSecret());
      await verifyPassword(credentials.password, await this.dummyHash);
      return null;
    }
    const passwordOk = await this.passwordMatches(
      terminal.login,
      terminal.passwordHash,
      credentials.password,
    );
    return passwordOk && ipAllowed(terminal.allowedIps, ip)
      ? { terminalId: terminal.terminalId }
      : null;
  }

  private async passwordMatches(login: string, passwordHash: string, password: string) {
    const digest = createHmac('sha256', this.key).update(password).digest();
    const known = this.remembered.get(login);
    if (
      known &&
      known.until > Date.now() &&
      known.passwordHash === passwordHash &&
      timingSafeEqual(known.digest, digest)
    )
      return true;
    if (!(await verifyPassword(password, passwordHash))) return false;
    this.remembered.delete(login);
    if (this.remembered.size >= REMEMBER_MAX)
      this.remembered.delete(this.remembered.keys().next().value as string);
    this.remembered.set(login, { passwordHash, digest, until: Date.now() + REMEMBER_MS });
    return true;
  }
}
