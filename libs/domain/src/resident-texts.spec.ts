import {
  OUTCOME_STATUSES,
  REJECTION_CODES,
  RESOURCES,
  REVIEW_CODES,
  WARNING_CODES,
} from '@gw/contracts';
import {
  REASON_TEXTS_RU,
  RESOURCE_TEXTS_RU,
  STATUS_TEXTS_RU,
  verificationNoticeRu,
  verificationReminderRu,
  WARNING_TEXTS_RU,
} from './resident-texts';

const russianSentence = /^[А-ЯЁ][^a-z]*[.!]$/u;

describe('Russian texts for residents cover every code of the contract', () => {
  it.each<[string, readonly string[], Record<string, string>]>([
    ['outcome statuses', OUTCOME_STATUSES, STATUS_TEXTS_RU],
    ['rejection codes', REJECTION_CODES, REASON_TEXTS_RU],
    ['review codes', REVIEW_CODES, REASON_TEXTS_RU],
    ['warning codes', WARNING_CODES, WARNING_TEXTS_RU],
  ])('%s', (_name, codes, texts) => {
    for (const code of codes) expect(texts[code]).toMatch(russianSentence);
  });

  it('has no text for a code the contract does not know', () => {
    expect(Object.keys(STATUS_TEXTS_RU).sort()).toEqual([...OUTCOME_STATUSES].sort());
    expect(Object.keys(REASON_TEXTS_RU).sort()).toEqual(
      [...REJECTION_CODES, ...REVIEW_CODES].sort(),
    );
    expect(Object.keys(WARNING_TEXTS_RU).sort()).toEqual([...WARNING_CODES].sort());
    expect(Object.keys(RESOURCE_TEXTS_RU).sort()).toEqual([...RESOURCES].sort());
  });

  it('gives every code its own text', () => {
    const all = [
      ...Object.values(STATUS_TEXTS_RU),
      ...Object.values(REASON_TEXTS_RU),
      ...Object.values(WARNING_TEXTS_RU),
    ];
    expect(new Set(all).size).toBe(all.length);
  });

  it('tells a resident their cold and hot water values look swapped', () => {
    expect(REASON_TEXTS_RU.SUSPECTED_SWAP).toContain(
      'возможно, перепутаны показания холодной и горячей воды'.slice(1),
    );
  });

  it('explains an expired verification plainly', () => {
    expect(REASON_TEXTS_RU.VERIFICATION_EXPIRED).toContain('не принимаются');
    expect(REASON_TEXTS_RU.VERIFICATION_EXPIRED).toContain('поверен');
  });
});

describe('verificationNoticeRu', () => {
  it.each<[Parameters<typeof verificationNoticeRu>, string | null]>([
    [['valid', '2030-01-01', null], null],
    [
      ['due_soon', '2026-12-20', null],
      'Срок поверки счётчика истекает 20.12.2026. Закажите поверку заранее: после этой даты показания не будут приниматься.',
    ],
    [
      ['expired', '2025-03-01', null],
      'Срок поверки счётчика истёк 01.03.2025. Показания этого счётчика не будут приняты, пока он не будет поверен. ' +
        'До поверки начисления рассчитываются по среднему потреблению, затем по нормативу с повышающим коэффициентом.',
    ],
    [
      ['unfit', '2026-11-18', null, '2026-11-19'],
      'Счётчик непригоден: поверка 19.11.2026 признала его непригодным к применению. ' +
        'Показания этого счётчика не принимаются, пока он не будет заменён или отремонтирован и поверен. ' +
        'До этого начисления рассчитываются по среднему потреблению, затем по нормативу с повышающим коэффициентом.',
    ],
    [
      ['decommissioned', '2028-01-01', '2022-05-01'],
      'Счётчик выведен из эксплуатации 01.05.2022, показания по нему не принимаются.',
    ],
    [
      ['decommissioned', '2028-01-01', null],
      'Счётчик выведен из эксплуатации, показания по нему не принимаются.',
    ],
  ])('%p -> %p', (args, notice) => {
    expect(verificationNoticeRu(...args)).toBe(notice);
  });
});

describe('verificationReminderRu', () => {
  it.each<[number, string, string]>([
    [60, '2027-02-01', 'Срок поверки счётчика истекает через 60 дней, 01.02.2027. '],
    [30, '2027-01-02', 'Срок поверки счётчика истекает через 30 дней, 02.01.2027. '],
    [0, '2026-12-03', 'Срок поверки счётчика истекает сегодня, 03.12.2026. '],
  ])('%p days before %s', (daysLeft, dueOn, start) => {
    const text = verificationReminderRu(daysLeft, dueOn);
    expect(text.startsWith(start)).toBe(true);
    expect(text).toContain('по нормативу с повышающим коэффициентом');
    expect(text).toMatch(russianSentence);
  });
});
