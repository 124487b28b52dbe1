import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { uniqueIp } from './cabinet-support';

/**
 * A browser as far as the residents' pages care: it keeps the cookies they set, sends them back,
 * and posts forms (application/x-www-form-urlencoded) from an address of its own.
 */
export class WebClient {
  readonly cookies = new Map<string, string>();
  private readonly ip = uniqueIp();

  constructor(private readonly app: INestApplication) {}

  async get(path: string): Promise<request.Response> {
    return this.keep(await this.with(request(this.app.getHttpServer()).get(path)));
  }

  /** A list sends its field once per item, as a form with two inputs of one name does. */
  async post(path: string, fields: Record<string, string | string[]>): Promise<request.Response> {
    return this.keep(
      await this.with(request(this.app.getHttpServer()).post(path)).type('form').send(fields),
    );
  }

  /** Opens a form page and posts it with the page's anti-forgery value. */
  async submit(
    page: string,
    action: string,
    fields: Record<string, string>,
  ): Promise<request.Response> {
    const html = (await this.get(page)).text;
    return this.post(action, { _csrf: csrfOf(html), ...fields });
  }

  private with(req: request.Test): request.Test {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    req.set('X-Forwarded-For', this.ip);
    return cookie ? req.set('Cookie', cookie) : req;
  }

  private keep(res: request.Response): request.Response {
    const set = res.headers['set-cookie'] as unknown as string[] | undefined;
    for (const line of set ?? []) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const [name, value] = [pair.slice(0, eq), pair.slice(eq + 1)];
      if (/Max-Age=0/.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }
}

/** The anti-forgery value of the (first) form of a page. */
export function csrfOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('the page has no form with an anti-forgery value');
  return m[1];
}

/** The hidden fields of a page's form that the page sets (serials, the idempotency key). */
export function hiddenFields(html: string): Record<string, string> {
  return Object.fromEntries(
    [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [
      m[1],
      m[2],
    ]),
  );
}
