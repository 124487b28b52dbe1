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

const outcomeOf = ({ row, parsed }: NumberedSlipRecord): SlipRowOutcome => ({
  row,
  slipId: parsed.slipId,
  meterSerial: parsed.meterSerial,
  zone: parsed.zone,
  imageRef: parsed.imageRef,
  error: parsed.line.ok ? null : parsed.line.error,
});

/** The lines of the rows of one slip and meter when they make one reading, else why they do not. */
function readingLines(records: NumberedSlipRecord[]): SlipLine[] | { problem: string } {
  const lines: SlipLine[] = [];
  for (const { row, parsed } of records) {
    if (!parsed.line.ok)
      return { problem: `another row of this slip and meter is invalid (row ${row})` };
    lines.push(parsed.line.value);
  }
  const [first] = lines;
  for (const [i, line] of lines.entries()) {
    const earlier = lines.findIndex((l) => l.zone === line.zone);
    if (earlier !== i)
      return {
        problem: `zone ${line.zone} is given twice for this slip and meter (rows ${records[earlier].row} and ${records[i].row})`,
      };
    if (line.accountNumber !== first.accountNumber || line.paymPeriod !== first.paymPeriod)
      return {
        problem: `rows ${records[0].row} and ${records[i].row} of this slip and meter have different PersAcc or PaymPeriod in qr_payload`,
      };
  }
  return lines;
}

/** Combines the rows of one slip and meter: all of them valid, one per zone, one account. */
export function combineSlipRows(records: NumberedSlipRecord[]): SlipGroup {
  return groupOf(records, readingLines(records));
}

/** The rows with their reading, or each refused with `problem` unless it has an error of its own. */
function groupOf(
  records: NumberedSlipRecord[],
  lines: SlipLine[] | { problem: string },
): SlipGroup {
  const rows = records.map(outcomeOf);
  if ('problem' in lines)
    return { rows: rows.map((r) => ({ ...r, error: r.error ?? lines.problem })), reading: null };
  const [first] = lines;
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
 * Rows of one slip and meter held until the group is complete. A valid group has one row per zone,
 * so one this long is invalid whatever follows: it is handed back at once, and its further rows one
 * by one, so that a file of one slip and meter repeated is not held whole.
 */
export const SLIP_GROUP_MAX_HELD_ROWS = 100;

/**
 * Groups a streamed file without holding it: rows of one slip and meter must be adjacent, so a
 * group is complete as soon as a row with another slip or meter arrives. A row whose slip_id or
 * meter_serial is unreadable stands alone. At most SLIP_GROUP_MAX_HELD_ROWS rows are held.
 */
export class SlipGrouper {
  private open: NumberedSlipRecord[] = [];
  private openKey: string | null = null;
  /** Why the open group, already handed back for being too long, is invalid: its further rows' error. */
  private overflow: string | null = null;

  /** Adds the next row; returns the group it completed (or the rows it decided), if any. */
  push(record: NumberedSlipRecord): SlipGroup | null {
    const key = keyOf(record);
    if (key !== null && key === this.openKey) {
      if (this.overflow !== null) return groupOf([record], { problem: this.overflow });
      this.open.push(record);
      if (this.open.length < SLIP_GROUP_MAX_HELD_ROWS) return null;
      // More rows than there are zones: never a reading, so what is wrong with them is known now.
      const found = readingLines(this.open);
      this.overflow = 'problem' in found ? found.problem : null;
      const held = groupOf(this.open, found);
      this.open = [];
      return held;
    }
    const completed = this.end();
    this.open = [record];
    this.openKey = key;
    return completed;
  }

  /** Completes the group still open (at the end of the file). */
  end(): SlipGroup | null {
    const group = this.open.length === 0 ? null : combineSlipRows(this.open);
    this.open = [];
    this.openKey = null;
    this.overflow = null;
    return group;
  }
}
