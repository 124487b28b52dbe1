import { CHANNELS } from '@gw/contracts';
import {
  type OutboundReading,
  toPartnerDate,
  toPartnerDecimal,
  toPartnerMessage,
} from './partner-outbound';
import { validatePartnerMessage } from './partner-reading';

/** A two-zone kiosk reading of the sample meter E-0077123 (6 + 1 digits). */
function outboundReading(overrides: Partial<OutboundReading> = {}): OutboundReading {
  return {
    submissionId: '0b5c4f7e-2a1d-5c1e-9f5a-0d8a2b8e6c11',
    channel: 'kiosk',
    partnerAccount: '1234567890',
    partnerMeter: '011234567',
    values: [
      { zone: 'T1', value: '4601.200000' },
      { zone: 'T2', value: '1911.400000' },
    ],
    fractionDigits: 1,
    readAt: new Date('2026-11-20T10:15:00+03:00'),
    ...overrides,
  };
}

describe('toPartnerDecimal', () => {
  it.each<[string, number, string]>([
    ['4601.200000', 1, '4601,2'],
    ['004601.2', 1, '4601,2'],
    ['4601', 1, '4601,0'],
    ['140.550000', 2, '140,55'],
    ['52.1', 2, '52,10'],
    ['83', 2, '83,00'],
    ['1234.567', 3, '1234,567'],
    ['0.000000', 1, '0,0'],
    ['0', 0, '0'],
    ['00000', 0, '0'],
    ['100.000000', 0, '100'],
    ['0.5', 0, '0,5'],
    ['12.345', 1, '12,345'],
    ['999999.99', 2, '999999,99'],
  ])('%p with %p fraction digits -> %p', (value, digits, expected) => {
    expect(toPartnerDecimal(value, digits)).toBe(expected);
  });

  it.each(['', '-1', '1,5', 'abc'])('refuses %p, which is no stored value', (value) => {
    expect(() => toPartnerDecimal(value, 1)).toThrow('not a decimal');
  });
});

describe('toPartnerDate', () => {
  it.each([
    ['2026-11-20T10:15:00+03:00', '20.11.2026'],
    ['2026-11-20T20:59:59Z', '20.11.2026'],
    ['2026-11-20T21:00:00Z', '21.11.2026'],
    ['2026-12-31T21:00:00Z', '01.01.2027'],
    ['2026-01-01T00:00:00+03:00', '01.01.2026'],
    ['2028-02-29T12:00:00+03:00', '29.02.2028'],
    ['2026-03-05T23:30:00+05:00', '05.03.2026'],
  ])('%s is %s in Moscow', (instant, expected) => {
    expect(toPartnerDate(new Date(instant))).toBe(expected);
  });
});

describe('toPartnerMessage', () => {
  it('writes a two-zone reading in the partner format', () => {
    expect(toPartnerMessage(outboundReading())).toEqual({
      msgId: '0b5c4f7e-2a1d-5c1e-9f5a-0d8a2b8e6c11',
      lsMes: '1234567890',
      counterNo: '011234567',
      t1: '4601,2',
      t2: '1911,4',
      t3: null,
      readDate: '20.11.2026',
      src: 'kiosk',
    });
  });

  it.each<[string, Partial<OutboundReading>, Record<string, unknown>]>([
    [
      'three zones, 2 fraction digits',
      {
        values: [
          { zone: 'T1', value: '140.55' },
          { zone: 'T2', value: '52.1' },
          { zone: 'T3', value: '83' },
        ],
        fractionDigits: 2,
      },
      { t1: '140,55', t2: '52,10', t3: '83,00' },
    ],
    [
      'one zone',
      { values: [{ zone: 'T1', value: '4601.2' }] },
      { t1: '4601,2', t2: null, t3: null },
    ],
    [
      'zones in another order',
      {
        values: [
          { zone: 'T2', value: '2' },
          { zone: 'T1', value: '1' },
        ],
      },
      { t1: '1,0', t2: '2,0', t3: null },
    ],
    [
      'read late in the evening, Moscow date',
      { readAt: new Date('2026-11-20T22:30:00+03:00') },
      { readDate: '20.11.2026' },
    ],
    ['from the cabinet', { channel: 'cabinet' }, { src: 'cabinet' }],
  ])('%s', (_name, overrides, expected) => {
    expect(toPartnerMessage(outboundReading(overrides))).toMatchObject(expected);
  });

  it.each(CHANNELS.filter((c) => c !== 'mosenergosbyt'))('src is our channel %p', (channel) => {
    expect(toPartnerMessage(outboundReading({ channel })).src).toBe(channel);
  });

  it('is a message the partner side of the feed reads back to the same values and date', () => {
    expect(validatePartnerMessage(toPartnerMessage(outboundReading()))).toEqual({
      ok: true,
      value: {
        msgId: '0b5c4f7e-2a1d-5c1e-9f5a-0d8a2b8e6c11',
        partnerAccount: '1234567890',
        partnerMeter: '011234567',
        values: [
          { zone: 'T1', value: '4601.2' },
          { zone: 'T2', value: '1911.4' },
        ],
        readOn: '2026-11-20',
      },
    });
  });
});
