import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

/**
 * A local SMTP server that keeps every message instead of delivering it: `npm start` points the
 * cabinet's SMTP_URL at it (codes land in .data/mail/), and e2e tests read codes from it.
 */
export interface CaughtMail {
  to: string[];
  subject: string;
  text: string;
  raw: string;
  /** The decoded copy on disk, when the catcher writes files. */
  file: string | null;
}

export interface MailCatcher {
  url: string;
  messages: CaughtMail[];
  close(): Promise<void>;
}

export interface MailCatcherOptions {
  host?: string;
  /** 0 picks a free port; a busy one moves to the next free port after it. */
  port?: number;
  /** Where to write each message (`.eml` as received, `.txt` decoded); none: memory only. */
  dir?: string | null;
  onMail?: (mail: CaughtMail) => void;
}

/** Ports tried after a busy one, so a second local start still gets an address near the usual one. */
const PORT_ATTEMPTS = 100;

export async function startMailCatcher({
  host = '127.0.0.1',
  port = 0,
  dir = null,
  onMail,
}: MailCatcherOptions = {}): Promise<MailCatcher> {
  const messages: CaughtMail[] = [];
  if (dir) mkdirSync(dir, { recursive: true });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 1024 * 1024,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const { subject, text } = decodeMail(raw);
        const to = session.envelope.rcptTo.map((r) => r.address);
        let file: string | null = null;
        if (dir) {
          const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${messages.length + 1}`;
          writeFileSync(join(dir, `${name}.eml`), raw);
          file = join(dir, `${name}.txt`);
          writeFileSync(file, `To: ${to.join(', ')}\nSubject: ${subject}\n\n${text}\n`);
        }
        const mail = { to, subject, text, raw, file };
        messages.push(mail);
        onMail?.(mail);
        callback();
      });
    },
  });
  const listen = (p: number) =>
    new Promise<number>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      // SMTPServer re-emits its socket's errors, and throws them when nobody listens to it.
      server.once('error', onError);
      server.listen(p, host, () => {
        server.off('error', onError);
        resolve((server.server.address() as AddressInfo).port);
      });
    });
  let bound: number | null = null;
  for (let candidate = port; bound === null; candidate += 1) {
    bound = await listen(candidate).catch((error: NodeJS.ErrnoException) => {
      const tryNext = error.code === 'EADDRINUSE' && port !== 0 && candidate < port + PORT_ATTEMPTS;
      if (tryNext) return null;
      throw error;
    });
  }
  return {
    url: `smtp://${host}:${bound}`,
    messages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Subject and text of a single-part message (what the gateway sends), whatever its encoding. */
export function decodeMail(raw: string): { subject: string; text: string } {
  const split = raw.search(/\r?\n\r?\n/);
  const head = (split < 0 ? raw : raw.slice(0, split)).replace(/\r?\n[ \t]+/g, ' ');
  const body = split < 0 ? '' : raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string>();
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const bytes =
    encoding === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64')
      : encoding === 'quoted-printable'
        ? quotedPrintable(body.replace(/=\r?\n/g, ''))
        : Buffer.from(body, 'utf8');
  return {
    subject: encodedWords(headers.get('subject') ?? ''),
    text: bytes.toString('utf8').replace(/\r\n/g, '\n').trimEnd(),
  };
}

function quotedPrintable(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(text[i], 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

/** RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?UTF-8?Q?…?=`); whitespace between two is dropped. */
function encodedWords(value: string): string {
  return value
    .replace(/(\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?[^?]+\?([BbQq])\?([^?]*)\?=/g, (_, encoding: string, text: string) =>
      (encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64')
        : quotedPrintable(text.replace(/_/g, ' '))
      ).toString('utf8'),
    );
}
