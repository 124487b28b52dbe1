import { type CalendarDate, toMoscowIso, verificationAt, verificationStatus } from '@gw/domain';
import type { AccountMeter } from '@gw/persistence';
import type { AccountMeterDto } from './account-meters.dto';

/**
 * A registered meter as operators see it, with its verification standing on `today`; a meter the
 * verification in force finds unfit keeps the contract's `expired` and carries `unfitSince`.
 */
export function accountMeterView(meter: AccountMeter, today: CalendarDate): AccountMeterDto {
  const inForce = verificationAt(meter, today);
  return {
    serial: meter.serial,
    resource: meter.resource,
    zones: meter.zones,
    integerDigits: meter.integerDigits,
    fractionDigits: meter.fractionDigits,
    installedOn: meter.installedOn,
    verifiedOn: meter.verifiedOn,
    verificationDueOn: meter.verificationDueOn,
    verificationStatus: verificationStatus(
      { dueOn: meter.verificationDueOn, decommissionedOn: meter.decommissionedOn },
      today,
    ),
    decommissionedOn: meter.decommissionedOn,
    ...(inForce.kind === 'unfit' && { unfitSince: inForce.since }),
    lastAccepted: meter.lastAccepted && {
      ...meter.lastAccepted,
      readAt: toMoscowIso(meter.lastAccepted.readAt),
    },
  };
}
