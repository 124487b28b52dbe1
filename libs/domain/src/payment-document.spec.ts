import { parseDate } from './moscow-time';
import { canonicalAmount, issuedDocumentPeriods, REGISTRATION_DOCUMENTS } from './payment-document';

describe('issuedDocumentPeriods: the ЕПД for a month is issued at the start of the next one', () => {
  it('registration takes one of the last three documents', () => {
    expect(REGISTRATION_DOCUMENTS).toBe(3);
  });

  it.each([
    ['2026-11-25', ['2026-10', '2026-09', '2026-08']],
    ['2026-11-01', ['2026-10', '2026-09', '2026-08']],
    ['2026-11-30', ['2026-10', '2026-09', '2026-08']],
    ['2026-12-01', ['2026-11', '2026-10', '2026-09']],
    ['2027-01-15', ['2026-12', '2026-11', '2026-10']],
    ['2027-02-28', ['2027-01', '2026-12', '2026-11']],
    ['2027-03-01', ['2027-02', '2027-01', '2026-12']],
  ])('on %s: %p', (today, periods) => {
    expect(issuedDocumentPeriods(parseDate(today))).toEqual(periods);
  });

  it('takes another count', () => {
    expect(issuedDocumentPeriods(parseDate('2026-01-10'), 1)).toEqual(['2025-12']);
    expect(issuedDocumentPeriods(parseDate('2026-01-10'), 0)).toEqual([]);
  });
});

describe('canonicalAmount', () => {
  it.each([
    ['4321.55', '4321.55'],
    ['4321,55', '4321.55'],
    ['4321.5', '4321.50'],
    ['4321', '4321.00'],
    ['  4321.55 ', '4321.55'],
    ['0004321.55', '4321.55'],
    ['0', '0.00'],
    ['0.05', '0.05'],
    ['000', '0.00'],
    ['-120.40', '-120.40'],
    ['-0', '0.00'],
    ['-0.00', '0.00'],
    ['999999999999.99', '999999999999.99'],
  ])('%p -> %p', (text, amount) => {
    expect(canonicalAmount(text)).toBe(amount);
  });

  it.each([
    [''],
    ['4321.555'],
    ['4321.'],
    ['.55'],
    ['4 321.55'],
    ['4321.55 руб'],
    ['+4321.55'],
    ['4321,55,0'],
    ['1e3'],
    ['1234567890123'],
    ['--1'],
  ])('%p is not an amount', (text) => {
    expect(canonicalAmount(text)).toBeNull();
  });
});
