import {
  arshinDate,
  arshinIntervalMonths,
  type ArshinMatch,
  type ArshinRecord,
  matchArshinRecords,
  parseArshinItem,
  parseArshinItems,
  skippedMayBeLatest,
  typeResources,
} from './arshin-record';

/** An item as Arshin answers it: a cold-water meter found fit on 15.03.2026 for six years. */
function arshinItem(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    vri_id: '1-402115790',
    org_title: 'ФБУ «Ростест-Москва»',
    mit_number: '32636-06',
    mit_title: 'Счетчики холодной и горячей воды',
    mit_notation: 'СГВ-15',
    mi_modification: 'СГВ-15',
    mi_number: '19-123456',
    verification_date: '15.03.2026',
    valid_date: '14.03.2032',
    result_docnum: 'С-ВЯ/15-03-2026/402115790',
    applicability: true,
    ...overrides,
  };
}

function record(overrides: Partial<ArshinRecord> = {}): ArshinRecord {
  const parsed = parseArshinItem(arshinItem());
  if (!parsed.ok) throw new Error(parsed.error);
  return { ...parsed.value, ...overrides };
}

describe('arshinDate', () => {
  it.each<[unknown, string | null]>([
    ['15.03.2026', '2026-03-15'],
    [' 01.12.2020 ', '2020-12-01'],
    ['29.02.2024', '2024-02-29'],
    ['29.02.2026', null],
    ['2026-03-15', null],
    ['15.3.2026', null],
    [20260315, null],
    [undefined, null],
  ])('%p -> %p', (given, expected) => {
    expect(arshinDate(given)).toBe(expected);
  });
});

describe('parseArshinItem', () => {
  it('reads a fit record', () => {
    expect(parseArshinItem(arshinItem())).toEqual({
      ok: true,
      value: {
        vriId: '1-402115790',
        orgTitle: 'ФБУ «Ростест-Москва»',
        typeNumber: '32636-06',
        typeTitle: 'Счетчики холодной и горячей воды',
        serial: '19-123456',
        verifiedOn: '2026-03-15',
        validUntil: '2032-03-14',
        resultDocnum: 'С-ВЯ/15-03-2026/402115790',
        applicable: true,
      },
    });
  });

  it.each<[string, Record<string, unknown>, Partial<ArshinRecord>]>([
    [
      'an unfit record without valid_date',
      { applicability: false, valid_date: undefined },
      { applicable: false, validUntil: null },
    ],
    [
      'an unfit record ignores a stray valid_date',
      { applicability: false },
      { applicable: false, validUntil: null },
    ],
    ['no organisation (kept as empty)', { org_title: undefined }, { orgTitle: '' }],
    ['an organisation given as null (kept as empty)', { org_title: null }, { orgTitle: '' }],
    ['text trimmed', { vri_id: ' 1-402115790 ' }, { vriId: '1-402115790' }],
    [
      'valid_date on the verification day',
      { valid_date: '15.03.2026' },
      { validUntil: '2026-03-15' },
    ],
    [
      'a character beyond U+FFFF (a surrogate pair)',
      { org_title: 'ФБУ 𝔐 ЦСМ' },
      { orgTitle: 'ФБУ 𝔐 ЦСМ' },
    ],
    ['a field the gateway does not read is not looked at', { mit_notation: '\u0000' }, {}],
    [
      'org_title of 1000 characters',
      { org_title: 'Ф'.repeat(1000) },
      { orgTitle: 'Ф'.repeat(1000) },
    ],
  ])('reads %s', (_name, overrides, expected) => {
    const parsed = parseArshinItem(arshinItem(overrides));
    expect(parsed).toEqual({ ok: true, value: expect.objectContaining(expected) });
  });

  const unstorable = (field: string) =>
    `${field} holds U+0000 or a lone surrogate, which cannot be stored`;

  it.each<[string, unknown, string]>([
    [
      'a fit record without valid_date',
      arshinItem({ valid_date: undefined }),
      'valid_date of a fit record is not a DD.MM.YYYY date',
    ],
    [
      'valid_date before the verification',
      arshinItem({ valid_date: '14.03.2025' }),
      'valid_date is before verification_date',
    ],
    [
      'applicability as text',
      arshinItem({ applicability: 'true' }),
      'applicability is neither true nor false',
    ],
    [
      'no applicability',
      arshinItem({ applicability: undefined }),
      'applicability is neither true nor false',
    ],
    ['no vri_id', arshinItem({ vri_id: undefined }), 'no vri_id'],
    ['vri_id as a number', arshinItem({ vri_id: 402115790 }), 'vri_id is not text'],
    [
      'vri_id longer than its column',
      arshinItem({ vri_id: '1'.repeat(65) }),
      'vri_id is longer than 64 characters',
    ],
    ['an empty serial', arshinItem({ mi_number: ' ' }), 'no mi_number'],
    [
      'a bad verification date',
      arshinItem({ verification_date: '32.01.2026' }),
      'verification_date is not a DD.MM.YYYY date',
    ],
    [
      'no verification date',
      arshinItem({ verification_date: undefined }),
      'verification_date is not a DD.MM.YYYY date',
    ],
    [
      'org_title longer than 1000 characters',
      arshinItem({ org_title: 'Ф'.repeat(1001) }),
      'org_title is longer than 1000 characters',
    ],
    [
      'result_docnum longer than its column',
      arshinItem({ result_docnum: 'С'.repeat(129) }),
      'result_docnum is longer than 128 characters',
    ],
    [
      'mit_number longer than the registry column',
      arshinItem({ mit_number: '3'.repeat(17) }),
      'mit_number is longer than 16 characters',
    ],
    ['org_title as an object', arshinItem({ org_title: { name: 'ФБУ' } }), 'org_title is not text'],
    ['U+0000 in org_title', arshinItem({ org_title: 'ФБУ \u0000 ЦСМ' }), unstorable('org_title')],
    ['U+0000 in vri_id', arshinItem({ vri_id: '1-4021\u0000' }), unstorable('vri_id')],
    ['U+0000 in mi_number', arshinItem({ mi_number: '19-1\u00002' }), unstorable('mi_number')],
    ['U+0000 in mit_number', arshinItem({ mit_number: '\u0000' }), unstorable('mit_number')],
    ['U+0000 in mit_title', arshinItem({ mit_title: 'воды\u0000' }), unstorable('mit_title')],
    [
      'a lone surrogate in result_docnum',
      arshinItem({ result_docnum: 'С-ВЯ/\ud800' }),
      unstorable('result_docnum'),
    ],
    [
      'a lone low surrogate in org_title',
      arshinItem({ org_title: '\udc00ФБУ' }),
      unstorable('org_title'),
    ],
    ['null', null, 'not a record'],
    ['text', 'text', 'not a record'],
    ['a number', 42, 'not a record'],
    ['an array', [], 'not a record'],
  ])('refuses %s', (_name, item, error) => {
    expect(parseArshinItem(item)).toEqual({ ok: false, error });
  });
});

describe('parseArshinItems', () => {
  it('reads nothing published', () => {
    expect(parseArshinItems([])).toEqual({ records: [], unusable: [] });
  });

  it('keeps the usable records and names each item that is not, counting from 1', () => {
    const later = arshinItem({ vri_id: '1-2', verification_date: '15.04.2026' });
    expect(
      parseArshinItems([
        arshinItem(),
        arshinItem({ vri_id: undefined }),
        'text',
        arshinItem({ org_title: '\u0000' }),
        later,
      ]),
    ).toEqual({
      records: [record(), record({ vriId: '1-2', verifiedOn: '2026-04-15' })],
      unusable: [
        { item: 2, error: 'no vri_id', verifiedOn: '2026-03-15' },
        { item: 3, error: 'not a record', verifiedOn: null },
        {
          item: 4,
          error: 'org_title holds U+0000 or a lone surrogate, which cannot be stored',
          verifiedOn: '2026-03-15',
        },
      ],
    });
  });

  it('keeps the date of an item it cannot use where the date can be read', () => {
    expect(
      parseArshinItems([
        arshinItem({ vri_id: undefined, verification_date: '32.04.2026' }),
        null,
        arshinItem({ applicability: 'true', verification_date: '15.04.2026' }),
      ]).unusable.map((u) => u.verifiedOn),
    ).toEqual([null, null, '2026-04-15']);
  });
});

describe('skippedMayBeLatest', () => {
  const records = [
    record({ verifiedOn: '2026-04-15' }),
    record({ vriId: '1-2', verifiedOn: '2026-05-20' }),
  ];
  const skipped = (verifiedOn: string | null) => ({ item: 3, error: 'no vri_id', verifiedOn });

  it.each<[string, (string | null)[], boolean]>([
    ['nothing skipped', [], false],
    ['items older than the latest record', ['2026-05-19', '2020-01-01'], false],
    ["an item of the latest record's day", ['2026-05-20'], true],
    ['an item later than every record', ['2026-04-01', '2026-06-01'], true],
    ['an item whose date cannot be read', ['2026-01-01', null], true],
  ])('%s -> %p', (_name, dates, mayBeLatest) => {
    expect(skippedMayBeLatest(records, dates.map(skipped))).toBe(mayBeLatest);
  });

  it('any skipped item, when there is no record to weigh it against', () => {
    expect(skippedMayBeLatest([], [skipped('2020-01-01')])).toBe(true);
    expect(skippedMayBeLatest([], [])).toBe(false);
  });
});

describe('typeResources', () => {
  it.each<[string, string[] | null]>([
    ['Счетчики холодной и горячей воды', ['cold_water', 'hot_water']],
    ['Счетчики воды крыльчатые', ['cold_water', 'hot_water']],
    ['Счетчики электрической энергии трехфазные', ['electricity']],
    ['Счетчики газа объемные диафрагменные', ['gas']],
    ['Теплосчетчики', ['heat']],
    ['Счетчики тепловой энергии', ['heat']],
    ['Счетчики газа электронные', ['gas']],
    ['Счетчики газа объемные диафрагменные с электронным корректором', ['gas']],
    ['Теплосчетчики электронные', ['heat']],
    ['Счетчики воды электронные', ['cold_water', 'hot_water']],
    ['Счетчики холодной и горячей воды с электронным выходом', ['cold_water', 'hot_water']],
    ['Счетчики электроэнергии однофазные', ['electricity']],
    ['Счётчики электрической энергии электронные', ['electricity']],
    ['Счетчики активной электрической энергии статические', ['electricity']],
    ['СЧЕТЧИКИ ЭЛЕКТРИЧЕСКОЙ ЭНЕРГИИ МНОГОФУНКЦИОНАЛЬНЫЕ', ['electricity']],
    ['Манометры', null],
    ['Счетчики воды с электрическим импульсным выходом', ['cold_water', 'hot_water']],
    ['Счетчики электричества', ['electricity']],
    ['Секундомеры электронные', null],
    // "вод" inside another word ("-проводные", "производства") names no water.
    ['Счетчики активной энергии трехфазные четырехпроводные', null],
    ['Счетчики активной энергии однофазные двухпроводные', null],
    ['Водосчетчики крыльчатые', ['cold_water', 'hot_water']],
  ])('%s -> %p', (title, resources) => {
    expect(typeResources(title)).toEqual(resources);
  });
});

describe('matchArshinRecords', () => {
  const water = { serial: '19-123456', resource: 'cold_water' as const, typeNumber: null };
  const older = record({ vriId: '1-1', verifiedOn: '2020-03-15', validUntil: '2026-03-14' });
  const newer = record({ vriId: '1-2' });
  const gasNamesake = record({
    vriId: '1-3',
    typeNumber: '55115-13',
    typeTitle: 'Счетчики газа',
    verifiedOn: '2026-04-01',
  });
  const otherWaterType = record({ vriId: '1-4', typeNumber: '40000-08', verifiedOn: '2026-05-01' });
  const flowmeter = record({
    vriId: '1-6',
    typeNumber: '49250-12',
    typeTitle: 'Расходомеры-счетчики ультразвуковые',
  });
  const gauge = record({ vriId: '1-7', typeNumber: '11111-01', typeTitle: 'Манометры' });
  const gas = { serial: '19-123456', resource: 'gas' as const, typeNumber: null };
  const electronicGas = record({
    vriId: '1-5',
    typeNumber: '58468-14',
    typeTitle: 'Счетчики газа электронные',
  });
  const unfitOfTheDay = record({ vriId: '1-100000001', applicable: false, validUntil: null });

  it.each<[string, object, ArshinRecord[], ArshinMatch]>([
    ['nothing published', water, [], { kind: 'not_found' }],
    [
      'several records of one type, latest first',
      water,
      [older, newer],
      { kind: 'found', records: [newer, older] },
    ],
    [
      'a namesake of another resource is left out',
      water,
      [newer, gasNamesake],
      { kind: 'found', records: [newer] },
    ],
    ['only a namesake of another resource', water, [gasNamesake], { kind: 'not_found' }],
    [
      'only types whose title names no resource',
      water,
      [flowmeter, gauge, flowmeter],
      { kind: 'unclear', typeNumbers: ['11111-01', '49250-12'] },
    ],
    [
      'a type whose title names no resource beside one of the resource',
      water,
      [gauge, newer],
      { kind: 'found', records: [newer] },
    ],
    [
      'a type whose title names no resource beside a namesake of another resource',
      water,
      [gasNamesake, flowmeter],
      { kind: 'unclear', typeNumbers: ['49250-12'] },
    ],
    [
      'an electricity namesake whose title names no resource: not read as water',
      water,
      [record({ ...gauge, typeTitle: 'Счетчики активной энергии трехфазные четырехпроводные' })],
      { kind: 'unclear', typeNumbers: ['11111-01'] },
    ],
    [
      'a type whose title names no resource, and the type number on file',
      { ...water, typeNumber: '32636-06' },
      [flowmeter],
      { kind: 'not_found' },
    ],
    [
      'a type whose title names no resource of another serial (a partial match)',
      water,
      [record({ ...flowmeter, serial: '19-1234567' })],
      { kind: 'not_found' },
    ],
    [
      'two water types with this serial and no type number on file',
      water,
      [newer, otherWaterType],
      { kind: 'ambiguous', typeNumbers: ['32636-06', '40000-08'] },
    ],
    [
      'the type number on file picks one of them',
      { ...water, typeNumber: '40000-08' },
      [newer, otherWaterType],
      { kind: 'found', records: [otherWaterType] },
    ],
    [
      'the type number on file matches nothing',
      { ...water, typeNumber: '11111-11' },
      [newer],
      { kind: 'not_found' },
    ],
    [
      'another serial (a partial match)',
      water,
      [record({ serial: '19-1234567' })],
      { kind: 'not_found' },
    ],
    [
      'two records on one day: the later entry wins',
      water,
      [newer, record({ vriId: '1-9', applicable: false, validUntil: null })],
      { kind: 'found', records: [record({ vriId: '1-9', applicable: false, validUntil: null })] },
    ],
    [
      'two records on one day: the later entry wins by the number of its vri_id, not its text',
      water,
      [unfitOfTheDay, record({ vriId: '1-99999999' })],
      { kind: 'found', records: [unfitOfTheDay] },
    ],
    [
      'two records on one day, the later entry listed second',
      water,
      [record({ vriId: '1-99999999' }), unfitOfTheDay],
      { kind: 'found', records: [unfitOfTheDay] },
    ],
    [
      'an electronic gas meter is a gas meter',
      gas,
      [electronicGas],
      { kind: 'found', records: [electronicGas] },
    ],
    ['an electronic gas meter is no water meter', water, [electronicGas], { kind: 'not_found' }],
  ])('%s', (_name, meter, records, expected) => {
    expect(matchArshinRecords(meter as typeof water, records)).toEqual(expected);
  });
});

describe('arshinIntervalMonths', () => {
  it.each<[string, string, number]>([
    ['2026-03-15', '2032-03-14', 72],
    ['2026-03-15', '2032-03-15', 72],
    ['2022-06-15', '2026-06-14', 48],
    ['2026-01-31', '2026-02-28', 1],
    ['2026-01-10', '2026-01-12', 1],
  ])('%s to %s: %p months', (from, to, months) => {
    expect(arshinIntervalMonths(from, to)).toBe(months);
  });
});
