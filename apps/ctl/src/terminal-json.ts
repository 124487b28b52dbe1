/**
 * C1 controls (U+0080 to U+009F: U+009B is a CSI some terminals act on) and the bidirectional
 * controls, which reorder the text after them on screen. JSON.stringify escapes only C0 controls.
 */
const TERMINAL_CONTROLS = /[\u0080-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The same, and the C0 controls (ESC above all) and DEL, but for tabs and line breaks. */
const TEXT_CONTROLS =
  // eslint-disable-next-line no-control-regex -- matching control characters is its purpose
  /[\u0000-\u0008\u000b-\u001f\u007f\u0080-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const escaped = (control: string) => `\\u${control.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * `value` as JSON (indented by `indent` spaces, on one line without) that a terminal shows as it
 * is: text from outside (a dead letter's key, a partner's field) can neither drive the terminal nor
 * reorder what the operator reads, and parses back to the same strings. The characters occur in
 * strings alone, so `\uXXXX` is valid there.
 */
export function terminalJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(TERMINAL_CONTROLS, escaped);
}

/** Plain text (an error's message) with every control character but tabs and line breaks as `\uXXXX`. */
export function terminalText(text: string): string {
  return text.replace(TEXT_CONTROLS, escaped);
}
