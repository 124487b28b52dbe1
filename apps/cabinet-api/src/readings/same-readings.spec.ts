import { buildSubmission } from '@gw/contracts';
import { sameReadings } from './same-readings';

const reading = (
  meterSerial: string,
  values: [string, string][],
  readAt = '2026-11-20T10:00:00+03:00',
) =>
  buildSubmission({
    channel: 'cabinet',
    sourceId: '0b5c4f7e-2a1d-4c1e-9f5a-0d8a2b8e6c11',
    sourceRef: `key/${meterSerial}`,
    accountNumber: '5001234567',
    meterSerial,
    values: values.map(([zone, value]) => ({ zone: zone as 'T1' | 'T2', value })),
    readAt,
    receivedAt: readAt,
  });

describe('sameReadings', () => {
  const first = [
    reading('C-1', [['T1', '12.5']]),
    reading('E-1', [
      ['T1', '100'],
      ['T2', '50'],
    ]),
  ];

  it('takes the same meters and values, in another order and read later, as the same', () => {
    const later = '2026-11-20T10:00:05+03:00';
    expect(
      sameReadings(first, [
        reading(
          'E-1',
          [
            ['T1', '100'],
            ['T2', '50'],
          ],
          later,
        ),
        reading('C-1', [['T1', '12,5']], later),
      ]),
    ).toBe(true);
  });

  it.each<[string, ReturnType<typeof reading>[]]>([
    ['another value', [reading('C-1', [['T1', '12.6']]), first[1]]],
    ['a meter fewer', [first[0]]],
    ['a meter more', [...first, reading('H-1', [['T1', '3']])]],
    ['another meter', [reading('C-2', [['T1', '12.5']]), first[1]]],
    [
      'zones swapped',
      [
        first[0],
        reading('E-1', [
          ['T1', '50'],
          ['T2', '100'],
        ]),
      ],
    ],
  ])('refuses %s', (_name, repeat) => {
    expect(sameReadings(first, repeat)).toBe(false);
  });
});
