import { createTransport } from 'nodemailer';
import { decodeMail } from './mail-catcher';

/** Messages exactly as nodemailer writes them, built in memory. */
async function composed(options: {
  subject: string;
  text: string;
  textEncoding?: 'base64' | 'quoted-printable';
}) {
  const transport = createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const info = await transport.sendMail({ from: 'a@example.ru', to: 'b@example.ru', ...options });
  return (info.message as Buffer).toString('utf8');
}

describe('decodeMail', () => {
  const subject = 'Код для входа в личный кабинет';
  const text = 'Здравствуйте!\n\nКод для входа в личный кабинет: 012345\n\nКод действует 10 минут.';

  it.each(['base64', 'quoted-printable'] as const)('decodes a %s message', async (textEncoding) => {
    const raw = await composed({ subject, text, textEncoding });
    expect(decodeMail(raw)).toEqual({ subject, text });
  });

  it('decodes the encoding nodemailer picks by itself', async () => {
    const raw = await composed({ subject, text });
    expect(decodeMail(raw)).toEqual({ subject, text });
  });

  it('decodes a long subject folded over several encoded words', async () => {
    const long = `${subject} — ${'очень длинная тема письма '.repeat(6).trim()}`;
    const raw = await composed({ subject: long, text: 'x' });
    expect(raw).toMatch(/Subject: =\?UTF-8\?[BQ]\?.*\r\n /);
    expect(decodeMail(raw).subject).toBe(long);
  });

  it('reads a plain ASCII message as it is', () => {
    expect(decodeMail('Subject: Hello\r\n\r\nCode: 123456\r\n')).toEqual({
      subject: 'Hello',
      text: 'Code: 123456',
    });
  });
});
