import { ZONES, type Zone } from '@gw/contracts';
import type { Period } from './moscow-time';
import type { ParsedSlipRecord, SlipLine } from './slip-row';

/** A row of the file as the grouper sees it: its number and what parsing made of it. */
export interface NumberedSlipRecord {
  row: number;
  parsed: ParsedSlipRecord;
}

/** One meter's reading from one slip: every zone the slip gives for it. */
export interface SlipReading {
  slipId: string;
  meterSerial: string;
  accountNumber: string;
  paymPeriod: Period | null;
  values: { zone: Zone; value: string }[];
  /** The lowest confidence of its values: one doubtful digit is enough to need a person. */
  confidence: number;
}

export interface SlipRowOutcome {
  row: number;
  slipId: string | null;
  meterSerial: string | null;
  zone: Zone | null;
  imageRef: string | null;
  error: string | null;
}

/** The rows of one slip and meter, and their reading when all of them are valid. */
export interface SlipGroup {
  rows: SlipRowOutcome[];
  reading: SlipReading | null;
}

const keyOf = ({ parsed }: NumberedSlipRecord): string | null =>
  parsed.slipId !== null && parsed.meterSerial !== null
    ? `${parsed.slipId}\u0000${parsed.meterSerial}`
    : null;

/** Combines the rows of one slip and meter: all of them valid, one per zone, one account. */
export function combineSlipRows(records: NumberedSlipRecord[]): SlipGroup {
  const rows: SlipRowOutcome[] = records.map(({ row, parsed }) => ({
    row,
    slipId: parsed.slipId,
    meterSerial: parsed.meterSerial,
    zone: parsed.zone,
    imageRef: parsed.imageRef,
    error: parsed.line.ok ? null : parsed.line.error,
  }));
  const failGroup = (error: string): SlipGroup => ({
    rows: rows.map((r) => ({ ...r, error: r.error ?? error })),
    reading: null,
  });
  const lines: SlipLine[] = [];
  for (const [i, { parsed }] of records.entries()) {
    if (!parsed.line.ok)
      return failGroup(`another row of this slip and meter is invalid (row ${rows[i].row})`);
    lines.push(parsed.line.value);
  }
  const [first] = lines;
  for (const [i, line] of lines.entries()) {
    const earlier = lines.findIndex((l) => l.zone === line.zone);
    if (earlier !== i)
      return failGroup(
        `zone ${line.zone} is given twice for this slip and meter (rows ${rows[earlier].row} and ${rows[i].row})`,
      );
    if (line.accountNumber !== first.accountNumber || line.paymPeriod !== first.paymPeriod)
      return failGroup(
        `rows ${rows[0].row} and ${rows[i].row} of this slip and meter have different PersAcc or PaymPeriod in qr_payload`,
      );
  }
  return {
    rows,
    reading: {
      slipId: first.slipId,
      meterSerial: first.meterSerial,
      accountNumber: first.accountNumber,
      paymPeriod: first.paymPeriod,
      values: ZONES.flatMap((zone) =>
        lines.filter((l) => l.zone === zone).map(({ value }) => ({ zone, value })),
      ),
      confidence: Math.min(...lines.map((l) => l.confidence)),
    },
  };
}

/**
 * Groups a streamed file without holding it: rows of one slip and meter must be adjacent, so a
 * group is complete as soon as a row with another slip or meter arrives. A row whose slip_id or
 * meter_serial is unreadable stands alone.
 */
export class SlipGrouper {
  private open: NumberedSlipRecord[] = [];
  private openKey: string | null = null;

  /** Adds the next row; returns the group it completed, if any. */
  push(record: NumberedSlipRecord): SlipGroup | null {
    const key = keyOf(record);
    if (key !== null && key === this.openKey) {
      this.open.push(record);
      return null;
    }
    const completed = this.end();
    this.open = [record];
    this.openKey = key;
    return completed;
  }

  /** Completes the group still open (at the end of the file). */
  end(): SlipGroup | null {
    if (this.open.length === 0) return null;
    const group = combineSlipRows(this.open);
    this.open = [];
    this.openKey = null;
    return group;
  }
}
