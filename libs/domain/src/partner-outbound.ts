import type { Channel, PartnerReadingMessage, Zone } from '@gw/contracts';
import { decimalParts } from './decimal';
import { moscowDate } from './moscow-time';

/** An accepted reading of one of our channels, with the partner's ids for its meter. */
export interface OutboundReading {
  submissionId: string;
  channel: Channel;
  partnerAccount: string;
  partnerMeter: string;
  /** Accepted values, decimals with a dot. */
  values: { zone: Zone; value: string }[];
  /** The meter register's fraction digits: the partner gets values as the meter shows them. */
  fractionDigits: number;
  readAt: Date;
}

/**
 * `0004601.200000` with 1 fraction digit -> `4601,2`: no leading zeros, the register's fraction
 * digits, a comma. Digits beyond the register are kept rather than cut.
 */
export function toPartnerDecimal(value: string, fractionDigits: number): string {
  const parts = decimalParts(value);
  if (!parts) throw new Error(`not a decimal: ${value}`);
  const fraction =
    parts.fraction.length > fractionDigits
      ? parts.fraction
      : parts.fraction.padEnd(fractionDigits, '0');
  return fraction.length > 0 ? `${parts.integer || '0'},${fraction}` : parts.integer || '0';
}

/** The Moscow date of an instant as the partner writes it: `DD.MM.YYYY`. */
export function toPartnerDate(instant: Date): string {
  const { year, month, day } = moscowDate(instant);
  return `${String(day).padStart(2, '0')}.${String(month).padStart(2, '0')}.${String(year).padStart(4, '0')}`;
}

/**
 * The partner message for one of our accepted readings. `msgId` is our submission id, so the
 * partner can recognise a message it has already seen.
 */
export function toPartnerMessage(reading: OutboundReading): PartnerReadingMessage {
  const zone = (z: Zone) => {
    const entry = reading.values.find((v) => v.zone === z);
    return entry ? toPartnerDecimal(entry.value, reading.fractionDigits) : null;
  };
  return {
    msgId: reading.submissionId,
    lsMes: reading.partnerAccount,
    counterNo: reading.partnerMeter,
    t1: zone('T1'),
    t2: zone('T2'),
    t3: zone('T3'),
    readDate: toPartnerDate(reading.readAt),
    src: reading.channel,
  };
}
