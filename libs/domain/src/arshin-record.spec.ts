import {
  arshinDate,
  arshinIntervalMonths,
  type ArshinMatch,
  type ArshinRecord,
  matchArshinRecords,
  parseArshinItem,
  parseArshinItems,
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
  return { ...(parseArshinItem(arshinItem()) as ArshinRecord), ...overrides };
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
      vriId: '1-402115790',
      orgTitle: 'ФБУ «Ростест-Москва»',
      typeNumber: '32636-06',
      typeTitle: 'Счетчики холодной и горячей воды',
      serial: '19-123456',
      verifiedOn: '2026-03-15',
      validUntil: '2032-03-14',
      resultDocnum: 'С-ВЯ/15-03-2026/402115790',
      applicable: true,
    });
  });

  it.each<[string, Record<string, unknown>, Partial<ArshinRecord> | null]>([
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
    ['a fit record without valid_date', { valid_date: undefined }, null],
    ['valid_date before the verification', { valid_date: '14.03.2025' }, null],
    ['applicability as text', { applicability: 'true' }, null],
    ['no vri_id', { vri_id: undefined }, null],
    ['an empty serial', { mi_number: ' ' }, null],
    ['a bad verification date', { verification_date: '32.01.2026' }, null],
    ['no organisation (kept as empty)', { org_title: undefined }, { orgTitle: '' }],
  ])('%s', (_name, overrides, expected) => {
    const parsed = parseArshinItem(arshinItem(overrides));
    if (expected === null) expect(parsed).toBeNull();
    else expect(parsed).toEqual(expect.objectContaining(expected));
  });

  it.each([null, 'text', 42, []])('refuses %p', (item) => {
    expect(parseArshinItem(item)).toBeNull();
  });
});

describe('parseArshinItems', () => {
  const unstorable = (field: string, item: number) => ({
    ok: false,
    error: `unusable answer: ${field} of item ${item} holds U+0000 or a lone surrogate, which cannot be stored`,
  });

  it.each<[string, unknown[], object]>([
    ['nothing published', [], { ok: true, value: [] }],
    [
      'the usable records; an unusable one is left out',
      [arshinItem(), arshinItem({ vri_id: undefined }), 'text'],
      { ok: true, value: [record()] },
    ],
    [
      'a character beyond U+FFFF (a surrogate pair) is stored as written',
      [arshinItem({ org_title: 'ФБУ 𝔐 ЦСМ' })],
      { ok: true, value: [record({ orgTitle: 'ФБУ 𝔐 ЦСМ' })] },
    ],
    [
      'U+0000 in org_title',
      [arshinItem({ org_title: 'ФБУ \u0000 ЦСМ' })],
      unstorable('org_title', 1),
    ],
    ['U+0000 in vri_id', [arshinItem({ vri_id: '1-4021\u0000' })], unstorable('vri_id', 1)],
    ['U+0000 in mi_number', [arshinItem({ mi_number: '19-1\u00002' })], unstorable('mi_number', 1)],
    ['U+0000 in mit_number', [arshinItem({ mit_number: '\u0000' })], unstorable('mit_number', 1)],
    ['U+0000 in mit_title', [arshinItem({ mit_title: 'воды\u0000' })], unstorable('mit_title', 1)],
    [
      'a lone surrogate in result_docnum',
      [arshinItem({ result_docnum: 'С-ВЯ/\ud800' })],
      unstorable('result_docnum', 1),
    ],
    [
      'a lone low surrogate in org_title of the second item, the first being fine',
      [arshinItem(), arshinItem({ org_title: '\udc00ФБУ' })],
      unstorable('org_title', 2),
    ],
    [
      'in an item that is not a usable record all the same',
      [arshinItem({ applicability: 'true', org_title: '\u0000' })],
      unstorable('org_title', 1),
    ],
    [
      'a field the gateway does not read is not looked at',
      [arshinItem({ mit_notation: '\u0000' })],
      { ok: true, value: [record()] },
    ],
  ])('%s', (_name, items, expected) => {
    expect(parseArshinItems(items)).toEqual(expected);
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
