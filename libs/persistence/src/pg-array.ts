/** An element that needs backslashes before it goes between double quotes. */
const NEEDS_ESCAPE = /["\\]/;
const ESCAPED = /["\\]/g;

/**
 * A PostgreSQL array literal of `values`, for a parameter cast to an array type (`$1::uuid[]`,
 * `$2::numeric[]`): every element double-quoted, `"` and `\` escaped, null and undefined as NULL,
 * numbers and bigints as `String(value)` writes them. node-postgres builds the same literal from a
 * JavaScript array, element by element in a growing string, which for the processor's batch
 * insert (24 columns of thousands of rows) made more garbage than anything else it did; this
 * builds it in one join. An element that is an object has no literal: it is refused.
 */
export function pgArray(values: readonly unknown[]): string {
  const elements = new Array<string>(values.length);
  for (let i = 0; i < values.length; i += 1) elements[i] = element(values[i]);
  return `{${elements.join(',')}}`;
}

function element(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'object' || typeof value === 'function' || typeof value === 'symbol')
    throw new TypeError(
      `an array parameter's element has type ${typeof value}; only scalars have a literal`,
    );
  const text = String(value);
  return NEEDS_ESCAPE.test(text) ? `"${text.replace(ESCAPED, '\\$&')}"` : `"${text}"`;
}
