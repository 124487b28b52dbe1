import { Injectable } from '@nestjs/common';
import { ACCOUNT_NUMBER, addMonths, formatPeriod, METER_SERIAL, moscowDate } from '@gw/domain';
import {
  MeterRepository,
  MeterVerificationRepository,
  type VerificationHistoryEntry,
} from '@gw/persistence';
import { hasRole } from '../auth/operator-role';
import type { OperatorPrincipal } from '../auth/operator-tokens';
import { NotFoundError } from '../backoffice.errors';
import { accountMeterView } from '../meters/account-meter.view';
import type { AccountMeterDto, AccountMetersDto } from '../meters/account-meters.dto';
import { ListAccountMetersUseCase } from '../meters/list-account-meters.use-case';
import { ListMeterReadingsUseCase } from '../meters/list-meter-readings.use-case';
import type { MeterReadingsDto } from '../meters/meter-readings.dto';

export type SearchResult =
  | { kind: 'account'; account: AccountMetersDto }
  | { kind: 'meter'; serial: string }
  | { kind: 'none' };

/** What the search and meter pages show, gathered from the read use cases. */
@Injectable()
export class MeterPageQuery {
  constructor(
    private readonly meters: MeterRepository,
    private readonly verifications: MeterVerificationRepository,
    private readonly accountMeters: ListAccountMetersUseCase,
    private readonly meterReadings: ListMeterReadingsUseCase,
  ) {}

  /** Ten digits name an account; anything else a meter serial. */
  async search(q: string): Promise<SearchResult> {
    if (ACCOUNT_NUMBER.test(q)) {
      if (!(await this.meters.accountExists(q))) return { kind: 'none' };
      return { kind: 'account', account: await this.accountMeters.execute(q) };
    }
    if (METER_SERIAL.test(q) && (await this.meters.findBySerial(q)))
      return { kind: 'meter', serial: q };
    return { kind: 'none' };
  }

  /** The meter, its readings of the last 12 billing periods and, for supervisors, what a revalidation would revive. */
  async load(
    serial: string,
    operator: OperatorPrincipal,
  ): Promise<{
    meter: AccountMeterDto;
    readings: MeterReadingsDto;
    verifications: VerificationHistoryEntry[];
    revalidatable: number | null;
  }> {
    const now = new Date();
    const meter = METER_SERIAL.test(serial) ? await this.meters.findBySerial(serial) : null;
    if (!meter) throw new NotFoundError(`meter ${serial}`);
    const today = moscowDate(now);
    const first = addMonths(today, -11);
    const [readings, verifications, revalidatable] = await Promise.all([
      this.meterReadings.execute(serial, { from: formatPeriod(first.year, first.month), to: null }),
      this.verifications.history(serial),
      hasRole(operator.role, 'supervisor')
        ? this.verifications.countRevalidatable(serial)
        : Promise.resolve(null),
    ]);
    return { meter: accountMeterView(meter, today), readings, verifications, revalidatable };
  }
}
