import { parseRegistryRecord, REGISTRY_COLUMNS, type RegistryRecord } from './registry-row';

/** The example row of contract section 4. */
function registryRecord(overrides: RegistryRecord = {}): RegistryRecord {
  return {
    account_number: '5001234567',
    serial: '19-123456',
    resource: 'cold_water',
    zones: '1',
    integer_digits: '5',
    fraction_digits: '3',
    installed_on: '2019-03-01',
    verified_on: '2019-03-01',
    verification_interval_months: '72',
    decommissioned_on: '',
    initial_t1: '00012.000',
    initial_t2: '',
    initial_t3: '',
    initial_on: '2019-03-01',
    ...overrides,
  };
}

/** A two-zone electricity meter, 6 + 1 digits, verified for 16 years. */
function electricityRecord(overrides: RegistryRecord = {}): RegistryRecord {
  return registryRecord({
    serial: '011234567',
    resource: 'electricity',
    zones: '2',
    integer_digits: '6',
    fraction_digits: '1',
    verification_interval_months: '192',
    initial_t1: '012345.6',
    initial_t2: '004567.8',
    ...overrides,
  });
}

describe('REGISTRY_COLUMNS', () => {
  it('follows the header of contract section 4', () => {
    expect(REGISTRY_COLUMNS.join(';')).toBe(
      'account_number;serial;resource;zones;integer_digits;fraction_digits;installed_on;verified_on;' +
        'verification_interval_months;decommissioned_on;initial_t1;initial_t2;initial_t3;initial_on',
    );
  });
});

describe('parseRegistryRecord: valid rows', () => {
  it('parses the contract example', () => {
    expect(parseRegistryRecord(registryRecord())).toEqual({
      ok: true,
      value: {
        accountNumber: '5001234567',
        serial: '19-123456',
        resource: 'cold_water',
        zones: 1,
        integerDigits: 5,
        fractionDigits: 3,
        installedOn: '2019-03-01',
        verifiedOn: '2019-03-01',
        verificationIntervalMonths: 72,
        verificationDueOn: '2025-03-01',
        decommissionedOn: null,
        initial: ['00012.000', null, null],
        initialOn: '2019-03-01',
        typeNumber: undefined,
      },
    });
  });

  it('parses a two-zone electricity meter', () => {
    const result = parseRegistryRecord(electricityRecord({ decommissioned_on: '2026-06-01' }));
    expect(result).toEqual({
      ok: true,
      value: expect.objectContaining({
        zones: 2,
        verificationDueOn: '2035-03-01',
        decommissionedOn: '2026-06-01',
        initial: ['012345.6', '004567.8', null],
      }),
    });
  });

  it.each<[string, RegistryRecord, Record<string, unknown>]>([
    [
      'due date clamped to the month end',
      registryRecord({ verified_on: '2019-08-31', verification_interval_months: '6' }),
      { verificationDueOn: '2020-02-29' },
    ],
    [
      'no initial values and no date',
      registryRecord({ initial_t1: '', initial_on: '' }),
      { initial: [null, null, null], initialOn: null },
    ],
    [
      'a whole number as initial value',
      registryRecord({ initial_t1: '12' }),
      { initial: ['12', null, null] },
    ],
    [
      'spaces around cells',
      registryRecord({ serial: ' 19-123456 ', zones: ' 1 ' }),
      { serial: '19-123456', zones: 1 },
    ],
    ['a serial with an inner space', registryRecord({ serial: 'AB 123' }), { serial: 'AB 123' }],
    [
      'a 32-character serial',
      registryRecord({ serial: 'S'.repeat(32) }),
      { serial: 'S'.repeat(32) },
    ],
    [
      'three zones',
      electricityRecord({ zones: '3', initial_t3: '000001.0' }),
      { zones: 3, initial: ['012345.6', '004567.8', '000001.0'] },
    ],
    [
      'a type registration number',
      registryRecord({ type_number: '32636-06' }),
      { typeNumber: '32636-06' },
    ],
    ['an empty type number', registryRecord({ type_number: ' ' }), { typeNumber: null }],
    // A file without the column says nothing of the type: the import keeps the one stored.
    ['no type_number column', registryRecord(), { typeNumber: undefined }],
    [
      'decommissioned on the day of its installation',
      registryRecord({ installed_on: '2019-03-01', decommissioned_on: '2019-03-01' }),
      { decommissionedOn: '2019-03-01' },
    ],
    [
      'the longest interval the back office records too',
      registryRecord({ verification_interval_months: '240' }),
      { verificationIntervalMonths: 240, verificationDueOn: '2039-03-01' },
    ],
  ])('%s', (_name, record, expected) => {
    expect(parseRegistryRecord(record)).toEqual({
      ok: true,
      value: expect.objectContaining(expected),
    });
  });
});

describe('parseRegistryRecord: each bad cell is named', () => {
  it.each<[string, RegistryRecord, string]>([
    [
      'account number of 9 digits',
      registryRecord({ account_number: '500123456' }),
      'account_number',
    ],
    [
      'account number with a letter',
      registryRecord({ account_number: '500123456A' }),
      'account_number',
    ],
    ['account number missing', registryRecord({ account_number: undefined }), 'account_number'],
    ['type number without its year', registryRecord({ type_number: '32636' }), 'type_number'],
    ['type number with letters', registryRecord({ type_number: 'СГВ-15' }), 'type_number'],
    ['empty serial', registryRecord({ serial: '' }), 'serial'],
    ['serial of 33 characters', registryRecord({ serial: 'S'.repeat(33) }), 'serial'],
    ['serial with Cyrillic', registryRecord({ serial: 'ИПУ-1' }), 'serial'],
    ...['=1+1', '+79001234567', '-5', '@SUM(A1)'].map(
      (serial): [string, RegistryRecord, string] => [
        `serial ${serial}, a formula to a spreadsheet`,
        registryRecord({ serial }),
        'serial must not start with =, +, - or @',
      ],
    ),
    ['unknown resource', registryRecord({ resource: 'water' }), 'resource'],
    ['resource in upper case', registryRecord({ resource: 'COLD_WATER' }), 'resource'],
    ['zero zones', registryRecord({ zones: '0' }), 'zones'],
    ['four zones', electricityRecord({ zones: '4' }), 'zones'],
    ['zones not a number', registryRecord({ zones: 'one' }), 'zones'],
    [
      'two zones on a water meter',
      registryRecord({ zones: '2', initial_t2: '00001.000' }),
      'only electricity',
    ],
    ['no integer digits', registryRecord({ integer_digits: '0' }), 'integer_digits'],
    ['13 integer digits', registryRecord({ integer_digits: '13' }), 'integer_digits'],
    ['7 fraction digits', registryRecord({ fraction_digits: '7' }), 'fraction_digits'],
    ['negative fraction digits', registryRecord({ fraction_digits: '-1' }), 'fraction_digits'],
    [
      'installation date not a date',
      registryRecord({ installed_on: '01.03.2019' }),
      'installed_on',
    ],
    [
      'verification date on 29 Feb of a common year',
      registryRecord({ verified_on: '2019-02-29' }),
      'verified_on',
    ],
    ['verification date missing', registryRecord({ verified_on: '' }), 'verified_on'],
    [
      'verification date in year 0000',
      registryRecord({ verified_on: '0000-12-05' }),
      'verified_on',
    ],
    [
      'installation date in year 9999',
      registryRecord({ installed_on: '9999-01-01' }),
      'installed_on',
    ],
    [
      'zero interval',
      registryRecord({ verification_interval_months: '0' }),
      'verification_interval_months',
    ],
    [
      'fractional interval',
      registryRecord({ verification_interval_months: '6.5' }),
      'verification_interval_months',
    ],
    [
      'an interval the back office would refuse',
      registryRecord({ verification_interval_months: '241' }),
      'verification_interval_months must be from 1 to 240',
    ],
    [
      'an interval with a zero too many (72 typed as 720)',
      registryRecord({ verification_interval_months: '720' }),
      'verification_interval_months must be from 1 to 240',
    ],
    [
      'decommissioning date not a date',
      registryRecord({ decommissioned_on: '2026-13-01' }),
      'decommissioned_on',
    ],
    [
      'decommissioned the day before its installation',
      registryRecord({ installed_on: '2019-03-01', decommissioned_on: '2019-02-28' }),
      'decommissioned_on must not be before installed_on',
    ],
    ['initial date not a date', registryRecord({ initial_on: 'yesterday' }), 'initial_on'],
    [
      'initial value with too many digits',
      registryRecord({ initial_t1: '123456.000' }),
      'initial_t1',
    ],
    ['initial value with a comma', registryRecord({ initial_t1: '00012,000' }), 'initial_t1'],
    ['initial T1 missing while dated', registryRecord({ initial_t1: '' }), 'initial_t1'],
    ['initial T2 missing on a two-zone meter', electricityRecord({ initial_t2: '' }), 'initial_t2'],
    [
      'initial T2 on a single-zone meter',
      registryRecord({ initial_t2: '00001.000' }),
      'initial_t2',
    ],
    ['initial value without a date', registryRecord({ initial_on: '' }), 'initial_on'],
    [
      'only a T2 initial value and no date',
      electricityRecord({ initial_t1: '', initial_on: '' }),
      'initial_on',
    ],
  ])('%s', (_name, record, column) => {
    const result = parseRegistryRecord(record);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toContain(column);
  });
});

describe('parseRegistryRecord on an import day', () => {
  const onDay = (verifiedOn: string) =>
    parseRegistryRecord(registryRecord({ verified_on: verifiedOn }), '2026-12-07');

  it('takes a verification of that day or before', () => {
    expect(onDay('2026-12-07')).toMatchObject({ ok: true, value: { verifiedOn: '2026-12-07' } });
    expect(onDay('2019-03-01')).toMatchObject({ ok: true });
  });

  it('refuses a verification dated after it, naming the column and the day', () => {
    expect(onDay('2026-12-08')).toEqual({
      ok: false,
      error: 'verified_on must not be after today (2026-12-07)',
    });
  });

  it('checks no day when none is given', () => {
    expect(parseRegistryRecord(registryRecord({ verified_on: '2030-06-01' }))).toMatchObject({
      ok: true,
    });
  });
});
