import type { RecordedReading } from '@gw/domain';
import {
  type BatchContext,
  type MeterRecord,
  refreshContext,
  withWaterMeters,
} from './reading.repository';

const meter = (serial: string, dueOn: string): MeterRecord => ({
  serial,
  accountNumber: '5001234567',
  resource: 'cold_water',
  zones: 1,
  integerDigits: 5,
  fractionDigits: 3,
  verificationDueOn: dueOn,
  verifications: [],
  installedOn: '2024-01-10',
  decommissionedOn: null,
  initialValues: { T1: 100_000_000n },
  initialOn: '2026-10-20',
});

const outcome = (submissionId: string) => ({ submissionId }) as RecordedReading;

function context(parts: Partial<BatchContext>): BatchContext {
  return {
    accounts: new Set(),
    meters: new Map(),
    lastAccepted: new Map(),
    history: new Map(),
    waterMeters: new Map(),
    stored: new Map(),
    meterStates: new Map(),
    ...parts,
  };
}

describe('refreshContext', () => {
  const base = context({
    accounts: new Set(['5001234567']),
    meters: new Map([
      ['A', meter('A', '2030-01-01')],
      ['B', meter('B', '2030-01-01')],
    ]),
    lastAccepted: new Map([
      ['A', { readAt: new Date('2026-11-01'), billingPeriod: '2026-11', values: { T1: 1n } }],
    ]),
    history: new Map([['B', [{ period: '2026-10', consumptionUnits: 5n, days: 30 }]]]),
    waterMeters: new Map([['5001234567', ['A', 'B']]]),
    stored: new Map([['s1', outcome('s1')]]),
    meterStates: new Map([
      ['A', 'a1'],
      ['B', 'b1'],
    ]),
  });
  const fresh = context({
    accounts: new Set(['5009999999']),
    meters: new Map([['A', meter('A', '2031-01-01')]]),
    lastAccepted: new Map([
      ['A', { readAt: new Date('2026-11-15'), billingPeriod: '2026-11', values: { T1: 2n } }],
    ]),
    waterMeters: new Map([['5009999999', ['D']]]),
    stored: new Map([['s2', outcome('s2')]]),
    meterStates: new Map([['A', 'a2']]),
  });

  it('takes the fresh facts of the changed meters and keeps the others as loaded', () => {
    const merged = refreshContext(base, fresh, ['A']);
    expect(merged.meters.get('A')?.verificationDueOn).toBe('2031-01-01');
    expect(merged.meters.get('B')).toBe(base.meters.get('B'));
    expect(merged.lastAccepted.get('A')?.values).toEqual({ T1: 2n });
    expect(merged.history.get('B')).toBe(base.history.get('B'));
    expect(merged.meterStates).toEqual(
      new Map([
        ['A', 'a2'],
        ['B', 'b1'],
      ]),
    );
    expect([...merged.stored.keys()].sort()).toEqual(['s1', 's2']);
    expect([...merged.accounts].sort()).toEqual(['5001234567', '5009999999']);
    expect(merged.waterMeters).toEqual(
      new Map([
        ['5001234567', ['A', 'B']],
        ['5009999999', ['D']],
      ]),
    );
  });

  it('forgets what a changed meter no longer has', () => {
    const merged = refreshContext(base, fresh, ['A', 'B']);
    expect(merged.meters.has('B')).toBe(false);
    expect(merged.history.has('B')).toBe(false);
    expect(merged.meterStates.has('B')).toBe(false);
  });

  it('leaves the loaded context untouched', () => {
    refreshContext(base, fresh, ['A', 'B']);
    expect(base.meters.get('A')?.verificationDueOn).toBe('2030-01-01');
    expect(base.meterStates.get('B')).toBe('b1');
  });
});

describe('withWaterMeters', () => {
  const own = meter('C', '2030-01-01');
  const context = (): BatchContext => ({
    accounts: new Set(['5001234567']),
    meters: new Map([['C', own]]),
    lastAccepted: new Map([
      ['C', { readAt: new Date('2026-11-15'), billingPeriod: '2026-11', values: { T1: 2n } }],
    ]),
    history: new Map(),
    waterMeters: new Map([['5009999999', ['X']]]),
    stored: new Map([['s1', outcome('s1')]]),
    meterStates: new Map([['C', 'c1']]),
  });
  const water = {
    meters: new Map([
      ['C', meter('C', '2031-01-01')],
      ['H', { ...meter('H', '2030-01-01'), resource: 'hot_water' as const }],
    ]),
    lastAccepted: new Map([
      ['C', { readAt: new Date('2026-11-01'), billingPeriod: '2026-11', values: { T1: 1n } }],
      ['H', { readAt: new Date('2026-11-01'), billingPeriod: '2026-11', values: { T1: 9n } }],
    ]),
    history: new Map([['H', [{ period: '2026-10', consumptionUnits: 5n, days: 30 }]]]),
    waterMeters: new Map([
      ['5001234567', ['C', 'H']],
      ['5008888888', []],
    ]),
  };

  it("adds the accounts' water meters and keeps what the context holds of its own", () => {
    const merged = withWaterMeters(context(), water);
    expect(merged.meters.get('C')).toBe(own);
    expect(merged.meters.get('H')?.resource).toBe('hot_water');
    expect(merged.lastAccepted.get('C')?.values).toEqual({ T1: 2n });
    expect(merged.lastAccepted.get('H')?.values).toEqual({ T1: 9n });
    expect(merged.history.get('H')).toHaveLength(1);
    expect(merged.waterMeters).toEqual(
      new Map([
        ['5009999999', ['X']],
        ['5001234567', ['C', 'H']],
        ['5008888888', []],
      ]),
    );
    expect(merged.stored).toEqual(context().stored);
    expect(merged.meterStates).toEqual(new Map([['C', 'c1']]));
  });
});
