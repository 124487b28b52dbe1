import { toMoscowIso } from '@gw/domain';
import type { StoredReading } from '@gw/persistence';

/** A stored reading as operators see it: its times in Moscow time (contract section 6). */
export function meterReadingView(reading: StoredReading) {
  return {
    ...reading,
    readAt: toMoscowIso(reading.readAt),
    receivedAt: toMoscowIso(reading.receivedAt),
    decidedAt: toMoscowIso(reading.decidedAt),
  };
}
