const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The first name given twice in one object of `text`, which must be valid JSON; null when there is
 * none. JSON.parse silently keeps the last of such members (RFC 8259 leaves it open), so a client
 * sending `items`, `readings` or `values` twice would lose the readings of the first while
 * answered 202. Names are compared decoded: `"seq"` and `"s\u0065q"` are one name.
 */
export function repeatedJsonName(text: string): string | null {
  // One entry per open container: the names seen so far in an object, null for an array.
  const open: (Set<string> | null)[] = [];
  let atName = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      let end = i + 1;
      let escaped = false;
      while (text.charCodeAt(end) !== QUOTE) {
        if (text.charCodeAt(end) === BACKSLASH) {
          escaped = true;
          end++;
        }
        end++;
      }
      const names = open.at(-1);
      if (atName && names) {
        const name = escaped
          ? (JSON.parse(text.slice(i, end + 1)) as string)
          : text.slice(i + 1, end);
        if (names.has(name)) return name;
        names.add(name);
        atName = false;
      }
      i = end;
    } else if (c === 0x7b /* { */) {
      open.push(new Set());
      atName = true;
    } else if (c === 0x5b /* [ */) {
      open.push(null);
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      open.pop();
      atName = false;
    } else if (c === 0x2c /* , */) {
      atName = open.at(-1) != null;
    }
  }
  return null;
}

/** The 400 of a JSON body that gives `name` twice in one object. */
export const repeatedNameProblem = (name: string): string =>
  `${JSON.stringify(name)} is given twice in one object`;
