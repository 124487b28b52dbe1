/** The numbers a request field may hold: `min` to `max`, whole unless `fraction` allows one. */
export interface NumberRule {
  min: number;
  max: number;
  fraction?: boolean;
}

const WHOLE = /^\d+$/;
const DECIMAL = /^\d+(\.\d+)?$/;

/**
 * The number `value` holds when it is a text of digits (with one decimal point where the rule
 * allows a fraction) within the rule's bounds; null otherwise. Number() would read an empty value
 * or blanks as 0, `0x10` as 16 and `1e2` as 100, and a field sent twice is a list.
 */
export function plainNumber(value: unknown, rule: NumberRule): number | null {
  if (typeof value !== 'string' || !(rule.fraction ? DECIMAL : WHOLE).test(value)) return null;
  const number = Number(value);
  return number >= rule.min && number <= rule.max ? number : null;
}

/** The rule in words, for messages: "a whole number 1 to 500, written in digits". */
export function numberRuleText(rule: NumberRule): string {
  return rule.fraction
    ? `a number ${rule.min} to ${rule.max}, written in digits with at most one decimal point`
    : `a whole number ${rule.min} to ${rule.max}, written in digits`;
}
