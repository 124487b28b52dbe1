/**
 * A page of a keyset listing read with one row more than it shows (`limit + 1`): the rows to show,
 * and the next page's cursor (the last shown row's) only when that extra row says there is more.
 * A full last page then ends the listing instead of pointing at an empty one.
 */
export function keysetPage<T, C>(
  rows: readonly T[],
  limit: number,
  cursorOf: (row: T) => C,
): { rows: T[]; next: C | null } {
  const shown = rows.slice(0, limit);
  return { rows: shown, next: rows.length > limit ? cursorOf(shown[limit - 1]) : null };
}
