import { moscowDateTime, resourceName, ruDate, ruPeriod } from './view-helpers';

describe('view helpers: dates, periods and resources in Russian', () => {
  it.each([
    ['a date', ruDate('2030-01-10'), '10.01.2030'],
    ['something else as it is', ruDate('скоро'), 'скоро'],
    ['a billing period', ruPeriod('2026-11'), 'ноябрь 2026'],
    ['January', ruPeriod('2027-01'), 'январь 2027'],
    ['no period', ruPeriod(null), '—'],
    ['a resource', resourceName('cold_water'), 'холодная вода'],
    ['heat', resourceName('heat'), 'тепловая энергия'],
    ['an unknown resource as it is', resourceName('steam'), 'steam'],
    ['a Moscow time', moscowDateTime('2026-11-20T10:15:02.311+03:00'), '20.11.2026 10:15'],
    ['with seconds', moscowDateTime('2026-11-20T10:15:02.311+03:00', true), '20.11.2026 10:15:02'],
  ])('%s', (_name, actual, expected) => {
    expect(actual).toBe(expected);
  });
});
