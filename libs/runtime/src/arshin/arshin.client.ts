import { Logger } from '@nestjs/common';
import { counter } from '@gw/platform';

export interface ArshinSettings {
  url: string;
  minIntervalMs: number;
  timeoutMs: number;
  maxAttempts: number;
  backoffMs: number;
  circuitFailures: number;
  circuitOpenMs: number;
}

/** Records asked for per request: a meter has a handful in its life, newest first. */
const ROWS = 20;
/**
 * Requests one lookup makes at most: a serial without its type number can be another
 * manufacturer's too, and its records come in further pages (`start`) while Arshin counts more.
 */
const MAX_PAGES = 5;

/** Why a lookup has no answer: the service is out or refused, or its answer is unusable. */
export class ArshinLookupError extends Error {
  constructor(
    readonly kind: 'circuit_open' | 'unavailable' | 'malformed',
    message: string,
  ) {
    super(message);
  }
}

/**
 * What Arshin answered for one serial: its items as sent (parsed by libs/domain), page after page,
 * and how many it counts; fewer items than `count` when there were more than `MAX_PAGES` pages.
 */
export interface ArshinAnswer {
  count: number;
  items: unknown[];
}

type Attempt =
  | { ok: true; answer: ArshinAnswer }
  | { ok: false; retry: boolean; waitMs: number | null; message: string };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A polite client of Arshin's public interface (contract section 8): one request at a time, at
 * least `minIntervalMs` apart; 429 and 5xx answers and timeouts are retried after a doubling wait
 * (or the server's Retry-After); after `circuitFailures` lookups in a row that failed that way the
 * circuit opens and lookups fail at once for `circuitOpenMs`, then one trial decides. Only the
 * serial and the type number leave the gateway.
 */
export class ArshinClient {
  private readonly logger = new Logger(ArshinClient.name);
  // Registered by the processes that ask Arshin, not by every app that loads this library.
  private readonly requests = counter(
    'arshin_requests_total',
    'Requests sent to ФГИС «Аршин» by answer',
    ['answer'],
  );
  private queue: Promise<unknown> = Promise.resolve();
  private lastRequestAt = -Infinity;
  private failuresInRow = 0;
  private openUntil = 0;

  constructor(
    private readonly settings: ArshinSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether lookups are refused now without a request. */
  get circuitOpen(): boolean {
    return this.now() < this.openUntil;
  }

  /** The records Arshin has for `serial` (and `typeNumber` when known), latest first. */
  lookup(serial: string, typeNumber: string | null): Promise<ArshinAnswer> {
    const turn = this.queue.then(() => this.lookupNow(serial, typeNumber));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Page after page while Arshin counts more records than were read, up to `MAX_PAGES`. */
  private async lookupNow(serial: string, typeNumber: string | null): Promise<ArshinAnswer> {
    if (this.circuitOpen)
      throw new ArshinLookupError('circuit_open', 'Arshin is not answering; circuit open');
    const items: unknown[] = [];
    for (let page = 1; ; page += 1) {
      const answer = await this.page(serial, typeNumber, items.length);
      items.push(...answer.items);
      // An empty page ends the records, whatever the count said.
      if (answer.items.length === 0 || items.length >= answer.count)
        return { count: items.length, items };
      if (page === MAX_PAGES) return { count: answer.count, items };
    }
  }

  private async page(
    serial: string,
    typeNumber: string | null,
    start: number,
  ): Promise<ArshinAnswer> {
    let last: Attempt | null = null;
    for (let attempt = 1; attempt <= this.settings.maxAttempts; attempt += 1) {
      if (last && !last.ok)
        await sleep(last.waitMs ?? this.settings.backoffMs * 2 ** (attempt - 2));
      last = await this.request(serial, typeNumber, start);
      if (last.ok) {
        this.failuresInRow = 0;
        return last.answer;
      }
      if (!last.retry) throw new ArshinLookupError('malformed', last.message);
    }
    this.failuresInRow += 1;
    if (this.failuresInRow >= this.settings.circuitFailures) {
      this.openUntil = this.now() + this.settings.circuitOpenMs;
      this.logger.warn({ msg: 'Arshin circuit open', failuresInRow: this.failuresInRow });
    }
    throw new ArshinLookupError('unavailable', (last as { message: string }).message);
  }

  private async request(
    serial: string,
    typeNumber: string | null,
    start: number,
  ): Promise<Attempt> {
    const wait = this.lastRequestAt + this.settings.minIntervalMs - this.now();
    if (wait > 0) await sleep(wait);
    this.lastRequestAt = this.now();
    // Arshin matches `*` as any run of characters and wants spaces as `?`; `?` is one character,
    // and the caller keeps only exact matches.
    const query = new URLSearchParams({ mi_number: serial.replace(/[ *]/g, '?') });
    if (typeNumber !== null) query.set('mit_number', typeNumber);
    query.set('sort', 'verification_date desc');
    query.set('rows', String(ROWS));
    query.set('start', String(start));
    let response: Response;
    let body: string;
    try {
      response = await fetch(`${this.settings.url.replace(/\/$/, '')}/vri?${query}`, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      body = await response.text();
    } catch (error) {
      this.requests.inc({ answer: 'none' });
      return { ok: false, retry: true, waitMs: null, message: `no answer: ${describe(error)}` };
    } finally {
      // The interval runs from the end of an answer too, so a slow one cannot bunch the next
      // requests together at the service.
      this.lastRequestAt = this.now();
    }
    this.requests.inc({ answer: String(response.status) });
    if (response.status === 429 || response.status >= 500)
      return {
        ok: false,
        retry: true,
        waitMs: retryAfterMs(response.headers.get('retry-after')),
        message: `HTTP ${response.status}`,
      };
    if (response.status !== 200)
      return { ok: false, retry: false, waitMs: null, message: `HTTP ${response.status}` };
    const answer = parseAnswer(body);
    if (!answer)
      return { ok: false, retry: false, waitMs: null, message: 'answer is not Arshin JSON' };
    return { ok: true, answer };
  }
}

function describe(error: unknown): string {
  // Checked by name: errors of fetch's own realm are not `instanceof Error` everywhere.
  const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown };
  if (name === 'TimeoutError') return 'timed out';
  return typeof message === 'string' ? message : String(error);
}

/** Retry-After in seconds (an HTTP date is not worth the parsing here), capped at ten minutes. */
function retryAfterMs(header: string | null): number | null {
  if (header === null || !/^\d+$/.test(header.trim())) return null;
  return Math.min(Number(header) * 1000, 600000);
}

function parseAnswer(body: string): ArshinAnswer | null {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return null;
  }
  const result = (json as { result?: { count?: unknown; items?: unknown } } | null)?.result;
  if (typeof result !== 'object' || result === null || !Array.isArray(result.items)) return null;
  const count = typeof result.count === 'number' ? result.count : result.items.length;
  return { count, items: result.items };
}
