import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { MeterReadingsQueryDto, SerialParamsDto } from './meter-readings.dto';

const problems = <T extends object>(type: new () => T, input: object): string[] =>
  validateSync(plainToInstance(type, input), { whitelist: true }).flatMap((e) =>
    Object.values(e.constraints ?? {}),
  );

describe('MeterReadingsQueryDto', () => {
  it.each<[string, object, string[]]>([
    ['no range at all', {}, []],
    ['only from', { from: '2026-01' }, []],
    ['only to', { to: '2026-12' }, []],
    ['a range', { from: '2026-01', to: '2026-12' }, []],
    ['a one-period range', { from: '2026-11', to: '2026-11' }, []],
    ['a range across a year', { from: '2025-12', to: '2026-01' }, []],
    ['from after to', { from: '2026-12', to: '2026-01' }, ['from must not be after to']],
    ['a month 13', { from: '2026-13' }, ['from must be a billing period YYYY-MM']],
    ['a date', { to: '2026-11-01' }, ['to must be a billing period YYYY-MM']],
    ['an empty value', { from: '' }, ['from must be a billing period YYYY-MM']],
    [
      'a repeated parameter',
      { from: ['2026-01', '2026-02'] },
      ['from must be a billing period YYYY-MM'],
    ],
    [
      'both malformed',
      { from: '11.2026', to: 'soon' },
      ['from must be a billing period YYYY-MM', 'to must be a billing period YYYY-MM'],
    ],
    [
      'malformed from and a valid to',
      { from: 'x', to: '2026-01' },
      ['from must be a billing period YYYY-MM'],
    ],
  ])('%s', (_name, query, expected) => {
    expect(problems(MeterReadingsQueryDto, query)).toEqual(expected);
  });
});

describe('SerialParamsDto', () => {
  it.each<[string, boolean]>([
    ['19-123456', true],
    ['A', true],
    ['SN 0001/2', true],
    ['x'.repeat(32), true],
    ['x'.repeat(33), false],
    [' 19-1', false],
    ['19-1 ', false],
    ['19\t1', false],
    ['', false],
  ])('%p valid: %s', (serial, valid) => {
    expect(problems(SerialParamsDto, { serial })).toEqual(
      valid ? [] : ['serial must be 1 to 32 printable characters'],
    );
  });
});
