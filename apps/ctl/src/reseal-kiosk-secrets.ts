import type { SecretBox } from '@gw/platform';
import type { CredentialRepository } from './persistence/credential.repository';

/** What `ctl keys reseal-kiosk-secrets` prints. */
export interface ResealReport {
  /** The key every kiosk secret that opens is now sealed with. */
  keyId: string;
  resealed: number;
  alreadyCurrent: number;
  /** Kiosks whose secret opens with neither key: they cannot sign in until `kiosk add` again. */
  unopenable: string[];
}

/**
 * Seals every kiosk secret sealed with the previous key (or with no key id) anew with the current
 * key, so the previous key can leave the ring without cutting a kiosk off.
 */
export async function resealKioskSecrets(
  kiosks: CredentialRepository,
  box: SecretBox,
): Promise<ResealReport> {
  const report: ResealReport = {
    keyId: box.keys.current.id,
    resealed: 0,
    alreadyCurrent: 0,
    unopenable: [],
  };
  await kiosks.resealSecrets((kioskId, sealed) => {
    const secret = box.open(sealed, kioskId);
    if (secret === null) report.unopenable.push(kioskId);
    else if (box.isCurrent(sealed)) report.alreadyCurrent += 1;
    else {
      report.resealed += 1;
      return box.seal(secret, kioskId);
    }
    return null;
  });
  return report;
}
