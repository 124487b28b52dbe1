/**
 * What a terminal must not be handed as it is: C1 controls (U+0080 to U+009F: U+009B is a CSI
 * some terminals act on) and DEL, the invisible format characters (bidirectional controls, which
 * reorder the text after them on screen; zero-width spaces and joiners, soft hyphens and byte
 * order marks, which make two different values look alike) and the line and paragraph
 * separators. JSON.stringify escapes only C0 controls.
 */
const TERMINAL_CONTROLS = /[\u007f-\u009f\p{Cf}\p{Zl}\p{Zp}]/gu;

/** The same, and the C0 controls (ESC above all), but for tabs and line breaks. */
const TEXT_CONTROLS =
  // eslint-disable-next-line no-control-regex -- matching control characters is its purpose
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\p{Cf}\p{Zl}\p{Zp}]/gu;

/** Every UTF-16 unit as `\uXXXX`: a format character beyond U+FFFF becomes its surrogate pair. */
const escaped = (character: string) =>
  Array.from(
    { length: character.length },
    (_, i) => `\\u${character.charCodeAt(i).toString(16).padStart(4, '0')}`,
  ).join('');

/**
 * `value` as JSON (indented by `indent` spaces, on one line without) that a terminal shows as it
 * is: text from outside (a dead letter's key, a partner's field) can neither drive the terminal nor
 * hide or reorder what the operator reads, and parses back to the same strings. The characters
 * occur in strings alone, so `\uXXXX` is valid there.
 */
export function terminalJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(TERMINAL_CONTROLS, escaped);
}

/** Plain text (an error's message) with every control and invisible character but tabs and line breaks as `\uXXXX`. */
export function terminalText(text: string): string {
  return text.replace(TEXT_CONTROLS, escaped);
}
