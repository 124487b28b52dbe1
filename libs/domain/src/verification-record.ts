import type { IsoDate } from './moscow-time';

/** Why a new verification (поверка) cannot be recorded for a meter. */
export type VerificationProblem =
  | { code: 'INVALID_VERIFICATION'; message: string }
  | { code: 'VERIFICATION_NOT_NEWER'; message: string };

export interface VerifiedMeter {
  installedOn: IsoDate;
  verifiedOn: IsoDate;
  decommissionedOn: IsoDate | null;
}

/**
 * A new verification must have happened (not after today), on a meter that was installed and not
 * yet removed, and after the verification the meter already has: a verification is never undone by
 * recording an older certificate. Dates are Moscow calendar dates and compare as text.
 */
export function checkNewVerification(
  meter: VerifiedMeter,
  verifiedOn: IsoDate,
  today: IsoDate,
): VerificationProblem | null {
  if (verifiedOn > today)
    return { code: 'INVALID_VERIFICATION', message: `verifiedOn ${verifiedOn} is in the future` };
  if (verifiedOn < meter.installedOn)
    return {
      code: 'INVALID_VERIFICATION',
      message: `verifiedOn ${verifiedOn} is before the meter was installed on ${meter.installedOn}`,
    };
  if (meter.decommissionedOn !== null && verifiedOn >= meter.decommissionedOn)
    return {
      code: 'INVALID_VERIFICATION',
      message: `the meter was decommissioned on ${meter.decommissionedOn}`,
    };
  if (verifiedOn <= meter.verifiedOn)
    return {
      code: 'VERIFICATION_NOT_NEWER',
      message: `the meter already has a verification on ${meter.verifiedOn}; a new one must be later`,
    };
  return null;
}
