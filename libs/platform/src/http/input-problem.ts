/** More arrays or objects inside each other than this is no request any client of the gateway sends. */
export const MAX_INPUT_DEPTH = 32;

/**
 * What makes parsed input unfit for any handler, named by its path (`body.items[3].comment`), or
 * null. Two things are refused before validation sees the input: nesting deeper than
 * MAX_INPUT_DEPTH (validators and transformers recurse, and a body of a few thousand `[` would
 * overflow their stack) and U+0000 in a string or key (PostgreSQL text cannot hold it). The walk
 * keeps its own stack, so it never recurses itself.
 */
export function inputProblem(root: unknown, name: string): string | null {
  const pending: { value: unknown; path: string; depth: number }[] = [
    { value: root, path: name, depth: 0 },
  ];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, path, depth } = next;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return `${path} must not contain the character U+0000`;
      continue;
    }
    if (typeof value !== 'object' || value === null || Buffer.isBuffer(value)) continue;
    if (depth >= MAX_INPUT_DEPTH) return `${path} is nested deeper than ${MAX_INPUT_DEPTH} levels`;
    if (Array.isArray(value)) {
      value.forEach((item, i) =>
        pending.push({ value: item, path: `${path}[${i}]`, depth: depth + 1 }),
      );
      continue;
    }
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\u0000')) return `${path} must not have a key containing U+0000`;
      pending.push({ value: item, path: `${path}.${key}`, depth: depth + 1 });
    }
  }
  return null;
}
