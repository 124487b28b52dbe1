import { QueryFields, REPEATED_FIELD, shownAgain } from './query-fields';

describe('QueryFields', () => {
  const digits = (text: string) => /^\d+$/.test(text);

  it.each<[string, unknown, string, Record<string, string>]>([
    ['absent', undefined, '', {}],
    ['empty, as a form sends a field left blank', '', '', {}],
    ['blank', '  ', '', {}],
    ['passing its check', '12', '12', {}],
    ['failing its check, shown again', '1e2', '1e2', { n: 'digits' }],
    ['sent twice', ['1', '2'], '', { n: REPEATED_FIELD }],
    ['nested', { a: '1' }, '', { n: REPEATED_FIELD }],
  ])('reads a field %s', (_name, value, text, errors) => {
    const fields = new QueryFields({ n: value });
    expect(fields.text('n', digits, 'digits')).toBe(text);
    expect(fields.errors).toEqual(errors);
    expect(fields.reading({ text })).toEqual({
      ok: Object.keys(errors).length === 0,
      filters: { text },
      errors,
    });
  });

  it('shows a refused text again whole up to 100 characters, longer ones cut and marked', () => {
    expect(shownAgain('2026-11-011')).toBe('2026-11-011');
    expect(shownAgain('x'.repeat(100))).toBe('x'.repeat(100));
    expect(shownAgain('x'.repeat(101))).toBe(`${'x'.repeat(100)}…`);
    expect(shownAgain(['a', 'b'])).toBe('');
    expect(new QueryFields({ n: 'x'.repeat(5000) }).text('n', digits, 'digits')).toBe(
      `${'x'.repeat(100)}…`,
    );
  });
});
