const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The text of bytes that must be UTF-8 (every JSON body and message of the contract); null when
 * they are not. `Buffer#toString` would put U+FFFD in place of each bad sequence, so two different
 * messages could read as the same text, share a `source.ref`, and one be taken for a repeat of the
 * other. A byte order mark is kept, as `Buffer#toString` keeps it.
 */
export function utf8Text(bytes: Uint8Array): string | null {
  try {
    return strict.decode(bytes);
  } catch {
    return null;
  }
}

/** Text PostgreSQL and JSON can carry as written: no U+0000 and no lone UTF-16 surrogate. */
export function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && !LONE_SURROGATE.test(text);
}

const LONE_SURROGATE = /\p{Cs}/u;

/** The number of characters (code points), as PostgreSQL's varchar counts them. */
export function characterCount(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is one character.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i += 1;
    }
    count += 1;
  }
  return count;
}

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)/i;

/** Whether a Content-Type names no charset or UTF-8's: a body read as UTF-8 may say nothing else. */
export function declaresUtf8(contentType: string): boolean {
  const charset = CHARSET.exec(contentType)?.[1].toLowerCase();
  return charset === undefined || charset === 'utf-8' || charset === 'utf8';
}

/**
 * Whether a Content-Encoding names no coding (absent, or `identity`): a body read as it arrives
 * (a signed kiosk batch, a streamed slip file) would otherwise be read as the compressed bytes.
 */
export function declaresNoContentCoding(contentEncoding: string | undefined): boolean {
  const coding = contentEncoding?.trim().toLowerCase();
  return !coding || coding === 'identity';
}
