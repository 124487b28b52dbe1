import type { CabinetEnv } from '../cabinet.env';

/**
 * The oldest a registration may be made and still wait for its code: an older one is not found
 * (404) and the retention sweep deletes it.
 */
export function pendingRegistrationsSince(env: CabinetEnv, now: Date): Date {
  return new Date(now.getTime() - env.CABINET_PENDING_REGISTRATION_HOURS * 3600 * 1000);
}
