import { Inject, Injectable, Logger } from '@nestjs/common';
import { type Decoded, KIOSK_LIMITS, signKioskRequest } from '@gw/contracts';
import { CallBatcher, SecretBox } from '@gw/platform';
import { timingSafeEqual } from 'node:crypto';
import { KioskRepository, type NonceToClaim } from '../persistence/kiosk.repository';
import { checkSignedRequestHeaders } from './signed-request-headers';

export interface KioskRequest {
  headers: Record<string, string | string[] | undefined>;
  method: string;
  path: string;
  body: Buffer;
}

/** A request whose signature is proven; its nonce is still to be claimed. */
export interface VerifiedKioskRequest {
  kioskId: string;
  nonce: string;
  replayableUntilMs: number;
}

/**
 * Opened secrets are kept this long, so a busy kiosk costs no secret lookup per request. It bounds
 * how long an instance keeps accepting a kiosk after `ctl kiosk disable` (the lookup skips
 * disabled kiosks); a new secret is picked up at once (see `verify`).
 */
export const KIOSK_SECRET_CACHE_MS = 5_000;
/**
 * An id no kiosk has (or a disabled kiosk's) is remembered this long, so a flood of requests naming
 * it costs two lookups a second per instance; a kiosk added or enabled meanwhile waits that long.
 */
export const UNKNOWN_KIOSK_CACHE_MS = 500;
/**
 * A wrong signature makes the instance read a known kiosk's secret again (a new one from
 * `kiosk add` must not wait for the cache), but at most once this often: forged requests naming a
 * known kiosk then cost two lookups a second per instance, as unknown ids do.
 */
export const SECRET_RELOAD_INTERVAL_MS = 500;
/** Ids remembered at most, known and unknown together; the oldest go first. */
const MAX_CACHED_KIOSKS = 10_000;
/** Same answer for an unknown kiosk and a wrong signature: ids cannot be probed. */
const BAD_CREDENTIALS = 'unknown kiosk or wrong signature';

export const KIOSK_SECRET_BOX = Symbol('KIOSK_SECRET_BOX');

/**
 * Contract 7.1 authentication in two steps: `verify` checks well-formed headers, a timestamp within
 * the clock window and an HMAC-SHA256 signature made with the kiosk's secret (compared in constant
 * time); `claimNonce` then records the nonce in PostgreSQL unless it was used before. Claiming
 * only after the signature is proven means every gateway instance sees the nonce and nobody else
 * can burn a kiosk's nonces.
 */
@Injectable()
export class KioskAuthenticator {
  private readonly logger = new Logger(KioskAuthenticator.name);
  private readonly secrets = new Map<
    string,
    { secret: string | null; readMs: number; untilMs: number }
  >();
  /** Nonces claimed while a claim is on its way to PostgreSQL go together in the next statement. */
  private readonly claims = new CallBatcher<NonceToClaim & { nowMs: number }, boolean>((claims) =>
    this.kiosks.claimNonces(claims, new Date(Math.max(...claims.map((c) => c.nowMs)))),
  );

  constructor(
    private readonly kiosks: KioskRepository,
    @Inject(KIOSK_SECRET_BOX) private readonly box: SecretBox,
  ) {}

  /**
   * What can be checked before the body is read: well-formed headers, the clock window and that
   * the kiosk exists (from the cache when it can), so a request that cannot succeed costs no body.
   */
  async screen(headers: KioskRequest['headers'], nowMs: number): Promise<Decoded<void>> {
    const checked = checkSignedRequestHeaders(headers, nowMs, KIOSK_LIMITS.clockSkewSeconds);
    if (!checked.ok) return checked;
    const secret = await this.secretOf(checked.value.kioskId, nowMs, false);
    return secret === null ? { ok: false, error: BAD_CREDENTIALS } : { ok: true, value: undefined };
  }

  async verify(request: KioskRequest, nowMs: number): Promise<Decoded<VerifiedKioskRequest>> {
    const checked = checkSignedRequestHeaders(
      request.headers,
      nowMs,
      KIOSK_LIMITS.clockSkewSeconds,
    );
    if (!checked.ok) return checked;
    const { kioskId, timestamp, nonce, signature, replayableUntilMs } = checked.value;
    const parts = { timestamp, nonce, method: request.method, path: request.path };
    const signedWith = (secret: string) =>
      matches(signKioskRequest(secret, { ...parts, body: request.body }), signature);

    let secret = await this.secretOf(kioskId, nowMs, false);
    // A kiosk given a new secret (`ctl kiosk add` again) must not wait for the cache to expire.
    if (secret !== null && !signedWith(secret) && this.mayReload(kioskId, nowMs))
      secret = await this.secretOf(kioskId, nowMs, true);
    if (secret === null || !signedWith(secret)) return { ok: false, error: BAD_CREDENTIALS };
    return { ok: true, value: { kioskId, nonce, replayableUntilMs } };
  }

  async claimNonce(
    { kioskId, nonce, replayableUntilMs }: VerifiedKioskRequest,
    nowMs: number,
  ): Promise<Decoded<void>> {
    const fresh = await this.claims.call({
      kioskId,
      nonce,
      expiresAt: new Date(replayableUntilMs),
      nowMs,
    });
    if (!fresh) return { ok: false, error: 'X-Nonce was already used: sign every request anew' };
    return { ok: true, value: undefined };
  }

  private mayReload(kioskId: string, nowMs: number): boolean {
    const cached = this.secrets.get(kioskId);
    return cached === undefined || nowMs - cached.readMs >= SECRET_RELOAD_INTERVAL_MS;
  }

  private async secretOf(kioskId: string, nowMs: number, reload: boolean) {
    const cached = this.secrets.get(kioskId);
    if (cached && !reload && cached.untilMs > nowMs) return cached.secret;
    this.secrets.delete(kioskId);
    const sealed = await this.kiosks.findSealedSecret(kioskId);
    const secret = sealed === null ? null : this.box.open(sealed, kioskId);
    if (sealed !== null && secret === null) {
      this.logger.error({
        msg: 'a kiosk secret opens with neither KIOSK_SECRET_KEY nor KIOSK_SECRET_KEY_PREVIOUS',
        kioskId,
      });
      // Not remembered: `kiosk add` may mend it at any moment.
      return null;
    }
    const keepMs = secret === null ? UNKNOWN_KIOSK_CACHE_MS : KIOSK_SECRET_CACHE_MS;
    this.secrets.set(kioskId, { secret, readMs: nowMs, untilMs: nowMs + keepMs });
    if (this.secrets.size > MAX_CACHED_KIOSKS)
      this.secrets.delete(this.secrets.keys().next().value as string);
    return secret;
  }
}

function matches(expectedHex: string, givenHex: string): boolean {
  const expected = Buffer.from(expectedHex, 'hex');
  const given = Buffer.from(givenHex, 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given);
}
