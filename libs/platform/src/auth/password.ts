import { createHmac, randomBytes, scrypt, type ScryptOptions, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../errors/domain.error';
import { counter } from '../metrics/metrics';

const PARAMS = { N: 16384, r: 8, p: 1 };
const KEY_LENGTH = 32;

const hashChecks = counter(
  'password_hash_checks_total',
  'scrypt derivations run (password hashes and checks that were not answered from the cache)',
);
const hashRefusals = counter(
  'password_hash_refusals_total',
  'Password checks refused because too many were running or waiting',
);

/** Too many password checks are running or waiting: the client should retry in a moment. */
export class PasswordChecksBusyError extends DomainError {
  declare readonly code: 'PASSWORD_CHECKS_BUSY';

  constructor() {
    super('PASSWORD_CHECKS_BUSY', 'too many sign-ins at once; retry in a moment');
  }
}

export interface PasswordCheckLimits {
  /** scrypt derivations at once (each takes a libuv thread and 16 MiB for ~50 ms). */
  concurrency: number;
  /** Checks allowed to wait for a slot; beyond that they are refused at once. */
  maxWaiting: number;
}

let limits: PasswordCheckLimits = { concurrency: 2, maxWaiting: 32 };
let running = 0;
const waiting: (() => void)[] = [];

/** Sets the bounds of the process's password checks (apps do it once at boot, from their env). */
export function configurePasswordChecks(next: PasswordCheckLimits): void {
  limits = next;
}

/** Runs `work` when one of `limits.concurrency` slots is free; refuses when too many wait already. */
async function bounded<T>(work: () => Promise<T>): Promise<T> {
  if (running >= limits.concurrency) {
    if (waiting.length >= limits.maxWaiting) {
      hashRefusals.inc();
      throw new PasswordChecksBusyError();
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else {
    running += 1;
  }
  try {
    return await work();
  } finally {
    // A waiting check takes over the slot, so `running` never drops below what is really running.
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  }
}

function derive(secret: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return bounded(
    () =>
      new Promise<Buffer>((resolve, reject) => {
        hashChecks.inc();
        scrypt(secret, salt, KEY_LENGTH, { ...options, maxmem: 64 * 1024 * 1024 }, (error, key) =>
          error ? reject(error) : resolve(key),
        );
      }),
  );
}

/** A slow, salted hash (scrypt) in a self-describing string: `scrypt$N$r$p$salt$hash`. */
export async function hashPassword(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(secret, salt, PARAMS);
  return [
    'scrypt',
    PARAMS.N,
    PARAMS.r,
    PARAMS.p,
    salt.toString('base64url'),
    key.toString('base64url'),
  ].join('$');
}

const REMEMBER_MATCH_MS = 10 * 60 * 1000;
const REMEMBER_MISMATCH_MS = 60 * 1000;
const REMEMBER_MAX = 10000;
/** Per process, so the remembered digests mean nothing outside it. */
const rememberKey = randomBytes(32);
const remembered = new Map<string, { matches: boolean; until: number }>();

/**
 * Whether `secret` matches `stored`. A result is remembered briefly under a keyed digest of the
 * pair: machines that retry or poll with the same credentials, and floods repeating one wrong
 * password, cost one scrypt, not one per request. The stored hash is part of the pair, so a reset
 * password takes effect at once.
 */
export async function verifyPassword(secret: string, stored: string): Promise<boolean> {
  const pair = createHmac('sha256', rememberKey).update(stored).update('\0').update(secret);
  const id = pair.digest('base64url');
  const known = remembered.get(id);
  if (known && known.until > Date.now()) return known.matches;
  const matches = await derivedMatches(secret, stored);
  remembered.delete(id);
  if (remembered.size >= REMEMBER_MAX) remembered.delete(remembered.keys().next().value as string);
  remembered.set(id, {
    matches,
    until: Date.now() + (matches ? REMEMBER_MATCH_MS : REMEMBER_MISMATCH_MS),
  });
  return matches;
}

async function derivedMatches(secret: string, stored: string): Promise<boolean> {
  const [scheme, N, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(secret, Buffer.from(salt, 'base64url'), {
    N: Number(N),
    r: Number(r),
    p: Number(p),
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A random secret for a machine or a person to type once: 24 URL-safe characters. */
export function generateSecret(bytes = 18): string {
  return randomBytes(bytes).toString('base64url');
}
