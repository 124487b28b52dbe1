import { type EstimateCsvRow, estimateCsvHeader, estimateCsvLine } from './estimate-csv';

const row = (overrides: Partial<EstimateCsvRow> = {}): EstimateCsvRow => ({
  estimateId: '4c0f3f9e-8f4e-5b7a-9d0c-2b1a3c4d5e6f',
  accountNumber: '5001234567',
  serial: '19-123456',
  resource: 'cold_water',
  billingPeriod: '2026-11',
  method: 'average',
  consecutive: 1,
  consumption: [{ zone: 'T1', value: '3.250' }],
  basis: { from: '2026-05', to: '2026-10', periods: 6 },
  coefficient: null,
  decidedAt: '2026-11-26T00:05:00.000+03:00',
  supersededBy: null,
  ...overrides,
});

describe('estimate CSV', () => {
  it('starts with a byte order mark and the header, lines ending in CRLF', () => {
    expect(estimateCsvHeader()).toBe(
      '\uFEFFestimate_id;account_number;serial;resource;billing_period;method;consecutive;t1;t2;t3;' +
        'basis_from;basis_to;basis_periods;coefficient;decided_at;superseded_by\r\n',
    );
  });

  it.each<[string, Partial<EstimateCsvRow>, string]>([
    [
      'an average',
      {},
      '4c0f3f9e-8f4e-5b7a-9d0c-2b1a3c4d5e6f;5001234567;19-123456;cold_water;2026-11;average;1;3.250;;;2026-05;2026-10;6;;2026-11-26T00:05:00.000+03:00;\r\n',
    ],
    [
      'a raised normative, superseded',
      {
        method: 'normative_raised',
        consecutive: 4,
        consumption: [{ zone: 'T1', value: '20.700' }],
        basis: null,
        coefficient: 1.5,
        supersededBy: '0b5c4f7e-2a1d-5c1e-9f5a-0d8a2b8e6c11',
      },
      '4c0f3f9e-8f4e-5b7a-9d0c-2b1a3c4d5e6f;5001234567;19-123456;cold_water;2026-11;normative_raised;4;20.700;;;;;;1.5;2026-11-26T00:05:00.000+03:00;0b5c4f7e-2a1d-5c1e-9f5a-0d8a2b8e6c11\r\n',
    ],
    [
      'three zones, and a serial that needs quoting',
      {
        serial: 'A;"7"',
        consumption: [
          { zone: 'T1', value: '100.000' },
          { zone: 'T2', value: '40.000' },
          { zone: 'T3', value: '10.500' },
        ],
      },
      '4c0f3f9e-8f4e-5b7a-9d0c-2b1a3c4d5e6f;5001234567;"A;""7""";cold_water;2026-11;average;1;100.000;40.000;10.500;2026-05;2026-10;6;;2026-11-26T00:05:00.000+03:00;\r\n',
    ],
    [
      'a serial a spreadsheet would run as a formula, kept as text',
      { serial: '=HYPERLINK("x")' },
      '4c0f3f9e-8f4e-5b7a-9d0c-2b1a3c4d5e6f;5001234567;"\'=HYPERLINK(""x"")";cold_water;2026-11;average;1;3.250;;;2026-05;2026-10;6;;2026-11-26T00:05:00.000+03:00;\r\n',
    ],
  ])('writes %s', (_case, overrides, line) => {
    expect(estimateCsvLine(row(overrides))).toBe(line);
  });
});
