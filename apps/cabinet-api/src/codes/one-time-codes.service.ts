import { Injectable } from '@nestjs/common';
import { codeStanding, ONE_TIME_CODE } from '@gw/domain';
import { randomInt, timingSafeEqual } from 'node:crypto';
import { CabinetKeys } from '../auth/cabinet-keys';
import { CabinetError } from '../cabinet.errors';
import { Clock } from '../clock';
import {
  type CodeAttempt,
  type CodePurpose,
  OneTimeCodeRepository,
} from '../persistence/one-time-code.repository';
import { CabinetThrottle } from './cabinet-throttle.service';

/**
 * Issues and checks e-mailed one-time codes (contract 7.3: 6 digits, 10 minutes, 5 attempts).
 * Only an HMAC of a code is stored. A new code for the same subject replaces the previous one.
 */
@Injectable()
export class OneTimeCodes {
  constructor(
    private readonly codes: OneTimeCodeRepository,
    private readonly keys: CabinetKeys,
    private readonly clock: Clock,
    private readonly throttle: CabinetThrottle,
  ) {}

  /** Stores a fresh code and returns it in clear text, for the e-mail only. */
  async issue(purpose: CodePurpose, subject: string): Promise<string> {
    const code = String(randomInt(0, 10 ** ONE_TIME_CODE.digits)).padStart(
      ONE_TIME_CODE.digits,
      '0',
    );
    const now = this.clock.now();
    await this.codes.issue({
      purpose,
      subject,
      codeHash: this.hash(purpose, subject, code),
      createdAt: now,
      expiresAt: new Date(now.getTime() + ONE_TIME_CODE.ttlMs),
    });
    return code;
  }

  /**
   * Spends one attempt on the subject's latest code and returns it when `code` matches; the caller
   * then consumes it. Every try counts, the right one included, so five guesses is all there is;
   * tries are also counted per address (over all its codes) and per client IP, before the check.
   */
  async check(
    purpose: CodePurpose,
    subject: string,
    code: string,
    from: { email: string; clientIp: string },
  ): Promise<CodeAttempt> {
    await this.throttle.takeCodeConfirm(from.email, from.clientIp);
    const now = this.clock.now();
    const attempt = await this.codes.attempt(purpose, subject, now, ONE_TIME_CODE.maxAttempts);
    if (!attempt) {
      const latest = await this.codes.latest(purpose, subject);
      const standing = latest ? codeStanding(latest, now) : 'used';
      if (standing === 'expired') throw codeExpired();
      if (standing === 'exhausted') throw attemptsExhausted();
      throw codeInvalid();
    }
    const expected = Buffer.from(attempt.codeHash, 'hex');
    const given = Buffer.from(this.hash(purpose, subject, code), 'hex');
    if (expected.length === given.length && timingSafeEqual(expected, given)) return attempt;
    throw attempt.attempts >= ONE_TIME_CODE.maxAttempts ? attemptsExhausted() : codeInvalid();
  }

  /**
   * Sign-in codes are kept per e-mail address, whether or not it has a cabinet (an unknown
   * address gets a code that is never mailed), so confirming answers alike for every address and
   * tells nothing about who is registered. The address is stored only as an HMAC.
   */
  signInSubject(email: string): string {
    return this.keys.digest('sign-in-subject', email);
  }

  private hash(purpose: CodePurpose, subject: string, code: string): string {
    return this.keys.digest('one-time-code', `${purpose}:${subject}:${code}`);
  }
}

export const codeInvalid = () => new CabinetError('CODE_INVALID', 'the code is wrong');

const codeExpired = () =>
  new CabinetError('CODE_EXPIRED', 'the code has expired; request a new one');

const attemptsExhausted = () =>
  new CabinetError(
    'CODE_ATTEMPTS_EXHAUSTED',
    'too many wrong codes; this code no longer works, request a new one',
  );
