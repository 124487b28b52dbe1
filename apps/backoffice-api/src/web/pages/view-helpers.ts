import type { OutcomeStatus } from '@gw/contracts';
import { markup, type SafeHtml } from '../markup';
import { reasonText, STATUS_NAMES, WARNING_NAMES } from '../ru-texts';

/** `2026-11-20T10:15:02.311+03:00` as `20.11.2026 10:15` (the wire times are Moscow time already). */
export function moscowDateTime(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
  return m ? `${m[3]}.${m[2]}.${m[1]} ${m[4]}:${m[5]}` : iso;
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
