import { Injectable, NotFoundException } from '@nestjs/common';
import {
  addPeriods,
  type CalendarDate,
  formatPeriod,
  formatUnits,
  moscowDate,
  toUnits,
} from '@gw/domain';
import type { CabinetMeterDto } from '../accounts/account.dto';
import { ListAccountMetersUseCase } from '../accounts/list-account-meters.use-case';
import { Clock } from '../clock';
import { ListReadingHistoryUseCase } from '../readings/list-reading-history.use-case';
import type { HistoryReadingDto } from '../readings/reading.dto';
import type { PeriodConsumption } from './pages/history.page';
import type { PassedReading } from './pages/result.page';

/**
 * How many billing periods a meter's history page covers, ending with the one a reading passed
 * today counts for (or this month, when that is later).
 */
export const HISTORY_MONTHS = 12;

/** How long the result page waits for the processor before answering "still being checked". */
const DECISION_WAIT_MS = 4000;
const DECISION_POLL_MS = 250;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What the residents' meter history and result pages show, gathered from the API's read use
 * cases, always for one account the guard has already found linked to the resident.
 */
@Injectable()
export class CabinetPagesQuery {
  constructor(
    private readonly meters: ListAccountMetersUseCase,
    private readonly history: ListReadingHistoryUseCase,
    private readonly clock: Clock,
  ) {}

  /** One meter of the account with its readings of the last HISTORY_MONTHS periods. */
  async meterHistory(
    accountNumber: string,
    serial: string,
  ): Promise<{
    meter: CabinetMeterDto;
    from: string;
    readings: HistoryReadingDto[];
    periods: PeriodConsumption[];
  }> {
    const account = await this.meters.execute(accountNumber);
    const meter = account.meters.find((m) => m.serial === serial);
    if (!meter) throw new NotFoundException(`no meter ${serial} on this account`);
    const today = moscowDate(this.clock.now());
    // A reading passed after the window closed counts for the next period: the history ends there.
    const latest = [formatPeriod(today.year, today.month), meter.window.billingPeriod].sort()[1];
    const periods = Array.from({ length: HISTORY_MONTHS }, (_, i) => addPeriods(latest, -i));
    const lists = await Promise.all(periods.map((p) => this.history.execute(accountNumber, p)));
    const readings = lists
      .flatMap((l) => l.readings)
      .filter((r) => r.meterSerial === serial)
      .sort((a, b) => b.readAt.localeCompare(a.readAt));
    return {
      meter,
      from: periods[periods.length - 1],
      readings,
      periods: consumptionByPeriod(readings, meter.fractionDigits),
    };
  }

  /**
   * The readings just passed, each with its decision once the processor has recorded it. Waits a
   * few seconds for undecided ones, so that most results arrive with the first page.
   */
  async decisions(
    accountNumber: string,
    passed: { submissionId: string; meterSerial: string }[],
  ): Promise<PassedReading[]> {
    const deadline = Date.now() + DECISION_WAIT_MS;
    const account = await this.meters.execute(accountNumber);
    const periods = listedPeriods(moscowDate(this.clock.now()), account.meters);
    // The link names the meters too; only this account's are shown.
    const serials = new Set(account.meters.map((m) => m.serial));
    const own = passed.filter((p) => serials.has(p.meterSerial));
    const wanted = new Set(own.map((p) => p.submissionId));
    for (;;) {
      const lists = await Promise.all(periods.map((p) => this.history.execute(accountNumber, p)));
      const found = new Map(
        lists
          .flatMap((l) => l.readings)
          .filter((r) => wanted.has(r.submissionId))
          .map((r) => [r.submissionId, r]),
      );
      const readings = own.map((p) => ({ ...p, decided: found.get(p.submissionId) ?? null }));
      if (readings.every((r) => r.decided) || Date.now() >= deadline) return readings;
      await sleep(DECISION_POLL_MS);
    }
  }
}

/**
 * Where the history lists a reading made today: under the period each meter's reading counts for,
 * or under this month (a reading rejected before it got one).
 */
function listedPeriods(today: CalendarDate, meters: CabinetMeterDto[]): string[] {
  return [
    ...new Set([
      formatPeriod(today.year, today.month),
      ...meters.map((m) => m.window.billingPeriod),
    ]),
  ];
}

/** The accepted readings' consumption added up per billing period and zone, newest period first. */
export function consumptionByPeriod(
  readings: HistoryReadingDto[],
  fractionDigits: number,
): PeriodConsumption[] {
  const totals = new Map<string, Map<string, bigint>>();
  for (const r of readings) {
    if (r.status !== 'accepted' || !r.billingPeriod) continue;
    const zones = totals.get(r.billingPeriod) ?? new Map<string, bigint>();
    for (const c of r.consumption)
      zones.set(c.zone, (zones.get(c.zone) ?? 0n) + (toUnits(c.value) ?? 0n));
    totals.set(r.billingPeriod, zones);
  }
  return [...totals.entries()]
    .sort(([a], [b]) => b.localeCompare(a))
    .map(([period, zones]) => ({
      period,
      consumption: [...zones.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([zone, units]) => ({ zone, value: formatUnits(units, fractionDigits) })),
    }));
}
