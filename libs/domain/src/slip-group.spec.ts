import { ZONES } from '@gw/contracts';
import {
  combineSlipRows,
  type NumberedSlipRecord,
  SLIP_GROUP_MAX_HELD_ROWS,
  type SlipGroup,
  SlipGrouper,
} from './slip-group';
import { parseSlipRecord, type SlipRecord } from './slip-row';

const qr = (account = '5001234567', period = '112026') =>
  `ST00012|Name=ТСЖ|PersonalAcc=40702810040000012345|BankName=Банк|BIC=044525225|CorrespAcc=30101810400000000225|PersAcc=${account}|PaymPeriod=${period}`;

let nextRow = 2;
function row(overrides: SlipRecord = {}, at?: number): NumberedSlipRecord {
  const record: SlipRecord = {
    slip_id: 'S-1',
    qr_payload: qr(),
    meter_serial: 'E-1',
    zone: 'T1',
    value: '100,5',
    confidence: '0.95',
    image_ref: '',
    ...overrides,
  };
  return { row: at ?? nextRow++, parsed: parseSlipRecord(record) };
}

const errors = (group: SlipGroup) => group.rows.map((r) => [r.row, r.error]);

beforeEach(() => {
  nextRow = 2;
});

describe('combineSlipRows', () => {
  it('makes one reading of a single-zone row', () => {
    expect(combineSlipRows([row()])).toEqual({
      rows: [
        { row: 2, slipId: 'S-1', meterSerial: 'E-1', zone: 'T1', imageRef: null, error: null },
      ],
      reading: {
        slipId: 'S-1',
        meterSerial: 'E-1',
        accountNumber: '5001234567',
        paymPeriod: '2026-11',
        values: [{ zone: 'T1', value: '100,5' }],
        confidence: 0.95,
      },
    });
  });

  it('makes one reading of a two-zone meter, zones in order, with the lowest confidence', () => {
    const group = combineSlipRows([
      row({ zone: 'T2', value: '40.1', confidence: '0.99' }),
      row({ zone: 'T1', value: '100,5', confidence: '0.91' }),
    ]);
    expect(group.reading).toMatchObject({
      values: [
        { zone: 'T1', value: '100,5' },
        { zone: 'T2', value: '40.1' },
      ],
      confidence: 0.91,
    });
    expect(errors(group)).toEqual([
      [2, null],
      [3, null],
    ]);
  });

  it('makes one reading of three zones', () => {
    const group = combineSlipRows(['T3', 'T1', 'T2'].map((zone) => row({ zone })));
    expect(group.reading?.values.map((v) => v.zone)).toEqual(['T1', 'T2', 'T3']);
  });

  it.each<[string, SlipRecord[], [number, string][]]>([
    [
      'one bad row fails its whole slip and meter',
      [{ zone: 'T1' }, { zone: 'T2', value: 'abc' }],
      [
        [2, 'another row of this slip and meter is invalid (row 3)'],
        [3, 'value must be a non-negative decimal with at most one "," or "."'],
      ],
    ],
    [
      'a zone given twice',
      [{ zone: 'T1' }, { zone: 'T2' }, { zone: 'T1' }],
      [2, 3, 4].map((r) => [
        r,
        'zone T1 is given twice for this slip and meter (rows 2 and 4)',
      ]) as [number, string][],
    ],
    [
      'rows with different accounts',
      [{ zone: 'T1' }, { zone: 'T2', qr_payload: qr('5009999999') }],
      [2, 3].map((r) => [
        r,
        'rows 2 and 3 of this slip and meter have different PersAcc or PaymPeriod in qr_payload',
      ]) as [number, string][],
    ],
    [
      'rows with different periods',
      [{ zone: 'T1' }, { zone: 'T2', qr_payload: qr('5001234567', '102026') }],
      [2, 3].map((r) => [
        r,
        'rows 2 and 3 of this slip and meter have different PersAcc or PaymPeriod in qr_payload',
      ]) as [number, string][],
    ],
  ])('%s', (_name, records, expected) => {
    const group = combineSlipRows(records.map((r) => row(r)));
    expect(group.reading).toBeNull();
    expect(errors(group)).toEqual(expected);
  });

  it('keeps the fields of every row for the report', () => {
    const group = combineSlipRows([
      row({ zone: 'T1', image_ref: 'a.png' }),
      row({ zone: 'T2', value: '' }),
    ]);
    expect(group.rows).toEqual([
      expect.objectContaining({ row: 2, zone: 'T1', imageRef: 'a.png' }),
      expect.objectContaining({ row: 3, zone: 'T2', imageRef: null }),
    ]);
  });
});

describe('SlipGrouper', () => {
  function groupAll(records: NumberedSlipRecord[]): SlipGroup[] {
    const grouper = new SlipGrouper();
    const groups = records.map((r) => grouper.push(r)).filter((g): g is SlipGroup => g !== null);
    const last = grouper.end();
    return last ? [...groups, last] : groups;
  }
  const shape = (groups: SlipGroup[]) =>
    groups.map((g) => ({ rows: g.rows.map((r) => r.row), ok: g.reading !== null }));

  it('returns nothing for an empty file', () => {
    expect(groupAll([])).toEqual([]);
  });

  it('joins adjacent rows of one slip and meter', () => {
    const groups = groupAll([
      row({ slip_id: 'S-1', meter_serial: 'E-1', zone: 'T1' }),
      row({ slip_id: 'S-1', meter_serial: 'E-1', zone: 'T2' }),
      row({ slip_id: 'S-1', meter_serial: 'W-1' }),
      row({ slip_id: 'S-2', meter_serial: 'W-1' }),
    ]);
    expect(shape(groups)).toEqual([
      { rows: [2, 3], ok: true },
      { rows: [4], ok: true },
      { rows: [5], ok: true },
    ]);
  });

  it('does not join rows of one slip and meter that are not adjacent', () => {
    const groups = groupAll([
      row({ meter_serial: 'E-1', zone: 'T1' }),
      row({ meter_serial: 'W-1' }),
      row({ meter_serial: 'E-1', zone: 'T2' }),
    ]);
    expect(shape(groups)).toEqual([
      { rows: [2], ok: true },
      { rows: [3], ok: true },
      { rows: [4], ok: true },
    ]);
  });

  it('joins a bad row to its slip and meter when those are readable', () => {
    const groups = groupAll([row({ zone: 'T1' }), row({ zone: 'T2', confidence: '7' })]);
    expect(shape(groups)).toEqual([{ rows: [2, 3], ok: false }]);
  });

  it('keeps a row with an unreadable slip_id or meter_serial on its own', () => {
    const groups = groupAll([
      row({ slip_id: '' }),
      row({ slip_id: '' }),
      row({ meter_serial: '' }),
      row(),
    ]);
    expect(shape(groups)).toEqual([
      { rows: [2], ok: false },
      { rows: [3], ok: false },
      { rows: [4], ok: false },
      { rows: [5], ok: true },
    ]);
  });

  it('holds a run of one slip and meter no longer than can be valid, and refuses all of it', () => {
    const zones = ['T1', 'T2', 'T3', 'T1'];
    const length = SLIP_GROUP_MAX_HELD_ROWS * 3 + 7;
    const grouper = new SlipGrouper();
    const groups: SlipGroup[] = [];
    for (let i = 0; i < length; i += 1) {
      const group = grouper.push(row({ zone: zones[i % 4], confidence: i === 5 ? '7' : '0.9' }));
      if (group) groups.push(group);
      // What the grouper holds is what it has not handed back: never more than the bound.
      const handed = groups.reduce((n, g) => n + g.rows.length, 0);
      expect(i + 1 - handed).toBeLessThanOrEqual(SLIP_GROUP_MAX_HELD_ROWS);
    }
    groups.push(...[grouper.end()].filter((g): g is SlipGroup => g !== null));
    const rows = groups.flatMap((g) => g.rows);
    expect(SLIP_GROUP_MAX_HELD_ROWS).toBeGreaterThan(ZONES.length);
    expect(groups.every((g) => g.reading === null)).toBe(true);
    expect(rows.map((r) => r.row)).toEqual(Array.from({ length }, (_, i) => i + 2));
    expect(rows[5].error).toBe('confidence must be a decimal from 0 to 1');
    const others = rows.filter((r) => r.row !== 7).map((r) => r.error);
    expect(new Set(others)).toEqual(
      new Set(['another row of this slip and meter is invalid (row 7)']),
    );
  });

  it('decides the run of one slip and meter by its first rows once it is too long to hold', () => {
    const grouper = new SlipGrouper();
    const records = Array.from({ length: SLIP_GROUP_MAX_HELD_ROWS + 2 }, () => row({ zone: 'T1' }));
    const groups = records.map((r) => grouper.push(r)).filter((g): g is SlipGroup => g !== null);
    expect(groups.map((g) => g.rows.length)).toEqual([SLIP_GROUP_MAX_HELD_ROWS, 1, 1]);
    expect(new Set(groups.flatMap((g) => g.rows.map((r) => r.error)))).toEqual(
      new Set(['zone T1 is given twice for this slip and meter (rows 2 and 3)']),
    );
    expect(grouper.end()).toBeNull();
    expect(grouper.push(row({ slip_id: 'S-2' }))).toBeNull();
    expect(grouper.end()?.reading).not.toBeNull();
  });

  it('hands back each group once, when the next one starts or at the end', () => {
    const grouper = new SlipGrouper();
    expect(grouper.push(row({ zone: 'T1' }))).toBeNull();
    expect(grouper.push(row({ zone: 'T2' }))).toBeNull();
    expect(grouper.push(row({ slip_id: 'S-2' }))?.rows.map((r) => r.row)).toEqual([2, 3]);
    expect(grouper.end()?.rows.map((r) => r.row)).toEqual([4]);
    expect(grouper.end()).toBeNull();
  });
});
