import type { OutcomeStatus, Resource } from '@gw/contracts';
import { MONTH_NAMES_RU, RESOURCE_TEXTS_RU, russianDate } from '@gw/domain';
import { markup, type SafeHtml } from '../markup';
import { CHANNEL_NAMES, reasonText, STATUS_NAMES, WARNING_NAMES } from '../ru-texts';

/**
 * `2026-11-20T10:15:02.311+03:00` as `20.11.2026 10:15`, or `20.11.2026 10:15:02` with seconds
 * (the wire times are Moscow time already).
 */
export function moscowDateTime(iso: string, seconds = false): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(iso);
  return m ? `${m[3]}.${m[2]}.${m[1]} ${m[4]}:${m[5]}${seconds ? `:${m[6]}` : ''}` : iso;
}

export function zoneValues(values: { zone: string; value: string }[]): string {
  return values.map((v) => `${v.zone}: ${v.value}`).join(', ');
}

export function statusTag(status: string): SafeHtml {
  return markup`<span class="tag ${status}">${STATUS_NAMES[status as OutcomeStatus] ?? status}</span>`;
}

export function reasonList(reasons: string[]): SafeHtml {
  return markup`${reasons.map((r, i) => markup`${i > 0 ? ', ' : ''}${reasonText(r)}`)}`;
}

export function warningList(warnings: string[]): string {
  return warnings.map((w) => WARNING_NAMES[w as keyof typeof WARNING_NAMES] ?? w).join(', ');
}

/** `2030-01-10` as `10.01.2030`; anything else as it is. */
export function ruDate(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(iso) ? russianDate(iso) : iso;
}

/** A billing period `2026-11` as `ноябрь 2026`; none as a dash. */
export function ruPeriod(period: string | null): string {
  const m = period === null ? null : /^(\d{4})-(\d{2})$/.exec(period);
  return m ? `${MONTH_NAMES_RU[Number(m[2]) - 1]} ${m[1]}` : (period ?? '—');
}

export function resourceName(resource: string): string {
  return RESOURCE_TEXTS_RU[resource as Resource]?.toLowerCase() ?? resource;
}

export function channelName(channel: string): string {
  return CHANNEL_NAMES[channel as keyof typeof CHANNEL_NAMES] ?? channel;
}
