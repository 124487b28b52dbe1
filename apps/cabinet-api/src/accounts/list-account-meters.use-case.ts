import { Inject, Injectable } from '@nestjs/common';
import { ZONES } from '@gw/contracts';
import {
  contractVerificationStatus,
  formatDate,
  meterStanding,
  moscowDate,
  RESOURCE_TEXTS_RU,
  toMoscowIso,
  verificationNoticeRu,
  type WindowPolicy,
} from '@gw/domain';
import { MeterRepository, VerificationReminderRepository } from '@gw/persistence';
import { Clock } from '../clock';
import type { AccountMetersDto } from './account.dto';

export const WINDOW_POLICY = Symbol('WINDOW_POLICY');

/**
 * The account's meters as a resident needs them today: verification standing and due date (with
 * a plain notice when readings will not be accepted) and the reminders sent about it, last
 * accepted values, and the window.
 */
@Injectable()
export class ListAccountMetersUseCase {
  constructor(
    private readonly meters: MeterRepository,
    private readonly reminders: VerificationReminderRepository,
    private readonly clock: Clock,
    @Inject(WINDOW_POLICY) private readonly window: WindowPolicy,
  ) {}

  async execute(accountNumber: string): Promise<AccountMetersDto> {
    const today = moscowDate(this.clock.now());
    const [meters, reminders] = await Promise.all([
      this.meters.listByAccount(accountNumber),
      this.reminders.listForAccount(accountNumber),
    ]);
    return {
      accountNumber,
      today: formatDate(today),
      meters: meters.map((m) => {
        const standing = meterStanding(m, today, this.window);
        return {
          serial: m.serial,
          resource: m.resource,
          resourceName: RESOURCE_TEXTS_RU[m.resource],
          zones: ZONES.slice(0, m.zones),
          integerDigits: m.integerDigits,
          fractionDigits: m.fractionDigits,
          verification: {
            status: contractVerificationStatus(standing.verification),
            dueOn: m.verificationDueOn,
            notice: verificationNoticeRu(
              standing.verification,
              m.verificationDueOn,
              m.decommissionedOn,
              standing.unfitSince,
            ),
            ...(standing.unfitSince !== null && { unfitSince: standing.unfitSince }),
          },
          acceptsReadings: standing.acceptsReadings,
          lastAccepted: m.lastAccepted && {
            ...m.lastAccepted,
            readAt: toMoscowIso(m.lastAccepted.readAt),
          },
          window: standing.window,
          reminders: reminders
            .map((r) => r.message)
            .filter((r) => r.meterSerial === m.serial && r.dueOn === m.verificationDueOn)
            .map(({ dueOn, daysLeft, publishedAt }) => ({ dueOn, daysLeft, publishedAt })),
        };
      }),
    };
  }
}
