import { createHmac, randomBytes, scrypt, type ScryptOptions, timingSafeEqual } from 'node:crypto';
import { Slots } from '../batching/slots';
import { DomainError } from '../errors/domain.error';
import { counter } from '../metrics/metrics';

/** scrypt's cost: N (CPU and memory, a power of two), r (block size), p (parallelism). */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/**
 * OWASP's recommendation for scrypt (Password Storage Cheat Sheet): N=2^17, r=8, p=1, that is
 * 128 MiB and eight times the work of N=2^14 per derivation. Hashes made with weaker parameters (N=2^14
 * before) still verify, and are replaced at the holder's next successful sign-in.
 */
export const OWASP_SCRYPT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };
/** The largest cost a stored hash may ask for: 1 GiB per derivation would take the process down. */
const MAX_MEMORY = 1024 * 1024 * 1024;
const KEY_LENGTH = 32;

let params: ScryptParams = OWASP_SCRYPT;

/** Sets the parameters new hashes are made with (apps do it once at boot, from their env). */
export function configurePasswordHashing(next: ScryptParams): void {
  params = next;
}

/** scrypt needs 128·N·r bytes; OpenSSL refuses unless `maxmem` leaves room above that. */
const memoryOf = ({ N, r }: ScryptParams) => 128 * N * r;

/**
 * The password metrics: registered by the first check or hash, so an app that never checks a
 * password does not list them.
 */
const passwordMetrics = () => ({
  hashChecks: counter(
    'password_hash_checks_total',
    'scrypt derivations run (password hashes and checks that were not answered from the cache)',
  ),
  hashRefusals: counter(
    'password_hash_refusals_total',
    'Password checks refused because too many were running or waiting',
  ),
});

/** Too many password checks are running or waiting: the client should retry in a moment. */
export class PasswordChecksBusyError extends DomainError {
  declare readonly code: 'PASSWORD_CHECKS_BUSY';

  constructor() {
    super('PASSWORD_CHECKS_BUSY', 'too many sign-ins at once; retry in a moment');
  }
}

export interface PasswordCheckLimits {
  /** scrypt derivations at once (each takes a libuv thread, and 128 MiB at N=2^17). */
  concurrency: number;
  /** Checks allowed to wait for a slot; beyond that they are refused at once. */
  maxWaiting: number;
}

let limits: PasswordCheckLimits = { concurrency: 2, maxWaiting: 32 };
let slots = new Slots(limits.concurrency);

/** Sets the bounds of the process's password checks (apps do it once at boot, from their env). */
export function configurePasswordChecks(next: PasswordCheckLimits): void {
  limits = next;
  slots = new Slots(next.concurrency);
}

/** Runs `work` when one of `limits.concurrency` slots is free; refuses when too many wait already. */
function bounded<T>(work: () => Promise<T>): Promise<T> {
  if (slots.full && slots.queued >= limits.maxWaiting) {
    passwordMetrics().hashRefusals.inc();
    return Promise.reject(new PasswordChecksBusyError());
  }
  return slots.run(work);
}

function derive(secret: string, salt: Buffer, cost: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: 2 * memoryOf(cost) };
  return bounded(
    () =>
      new Promise<Buffer>((resolve, reject) => {
        passwordMetrics().hashChecks.inc();
        scrypt(secret, salt, KEY_LENGTH, options, (error, key) =>
          error ? reject(error) : resolve(key),
        );
      }),
  );
}

/**
 * A slow, salted hash (scrypt) in a self-describing string, `scrypt$N$r$p$salt$hash`, made with
 * the configured parameters; the string carries them, so a change of parameters leaves every
 * stored hash verifiable.
 */
export async function hashPassword(secret: string): Promise<string> {
  const cost = params;
  const salt = randomBytes(16);
  const key = await derive(secret, salt, cost);
  return [
    'scrypt',
    cost.N,
    cost.r,
    cost.p,
    salt.toString('base64url'),
    key.toString('base64url'),
  ].join('$');
}

interface StoredHash {
  cost: ScryptParams;
  salt: Buffer;
  hash: Buffer;
}

/** A stored hash's parts, or null for anything this module did not write. */
function parseStored(stored: string): StoredHash | null {
  const [scheme, N, r, p, salt, hash, ...rest] = stored.split('$');
  const cost = { N: Number(N), r: Number(r), p: Number(p) };
  const sane =
    scheme === 'scrypt' &&
    rest.length === 0 &&
    Boolean(salt) &&
    Boolean(hash) &&
    Object.values(cost).every((v) => Number.isSafeInteger(v) && v > 0) &&
    memoryOf(cost) <= MAX_MEMORY;
  return sane
    ? { cost, salt: Buffer.from(salt, 'base64url'), hash: Buffer.from(hash, 'base64url') }
    : null;
}

/**
 * Whether a stored hash is weaker than the configured parameters (or unreadable), so that it
 * should be replaced by `hashPassword` of the secret just verified against it.
 */
export function needsRehash(stored: string): boolean {
  const parsed = parseStored(stored);
  return (
    parsed === null ||
    parsed.cost.N < params.N ||
    parsed.cost.r < params.r ||
    parsed.cost.p < params.p ||
    parsed.hash.length < KEY_LENGTH
  );
}

/**
 * After a successful check against `stored`: when it is weaker than today's parameters, hashes
 * `secret` again and hands the new hash to `store` (which should replace `stored` only if it is
 * still the one stored, so a concurrent reset wins). When the password checks are busy the upgrade
 * waits for the next sign-in rather than fail this one.
 */
export async function upgradeWeakHash(
  stored: string,
  secret: string,
  store: (stronger: string) => Promise<unknown>,
): Promise<void> {
  if (!needsRehash(stored)) return;
  let stronger: string;
  try {
    stronger = await hashPassword(secret);
  } catch (error) {
    if (error instanceof PasswordChecksBusyError) return;
    throw error;
  }
  await store(stronger);
}

const REMEMBER_MATCH_MS = 10 * 60 * 1000;
const REMEMBER_MISMATCH_MS = 60 * 1000;
const REMEMBER_MAX = 10000;
/** Per process, so the remembered digests mean nothing outside it. */
const rememberKey = randomBytes(32);
const remembered = new Map<string, { matches: boolean; until: number }>();
/** Checks of a pair under way: at most one per running or waiting derivation. */
const inFlight = new Map<string, Promise<boolean>>();

/**
 * Whether `secret` matches `stored`. A result is remembered briefly under a keyed digest of the
 * pair, and checks of a pair arriving while it is derived wait for that derivation: machines that
 * retry or poll with the same credentials, and floods repeating one wrong password, at once or one
 * after another, cost one scrypt, not one per request. The stored hash is part of the pair, so a
 * reset password takes effect at once.
 */
export async function verifyPassword(secret: string, stored: string): Promise<boolean> {
  const pair = createHmac('sha256', rememberKey).update(stored).update('\0').update(secret);
  const id = pair.digest('base64url');
  const known = remembered.get(id);
  if (known && known.until > Date.now()) return known.matches;
  let check = inFlight.get(id);
  if (!check) {
    check = rememberedCheck(id, secret, stored).finally(() => inFlight.delete(id));
    inFlight.set(id, check);
  }
  return check;
}

async function rememberedCheck(id: string, secret: string, stored: string): Promise<boolean> {
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
  const parsed = parseStored(stored);
  if (!parsed) return false;
  const actual = await derive(secret, parsed.salt, parsed.cost);
  return actual.length === parsed.hash.length && timingSafeEqual(actual, parsed.hash);
}

/** A random secret for a machine or a person to type once: 24 URL-safe characters. */
export function generateSecret(bytes = 18): string {
  return randomBytes(bytes).toString('base64url');
}
