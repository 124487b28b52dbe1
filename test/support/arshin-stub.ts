import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One answer of the stub: Arshin's JSON, or a status, raw text and a delay. */
export interface StubAnswer {
  status?: number;
  /** Sent as JSON; `raw` wins. */
  body?: unknown;
  raw?: string;
  delayMs?: number;
  headers?: Record<string, string>;
}

/** A request the stub received: when, and exactly what was asked. */
export interface StubRequest {
  at: number;
  path: string;
  query: Record<string, string>;
}

/**
 * An item as ФГИС «Аршин» publishes it (recorded from its public interface, names changed): a
 * water meter verified fit for six years. Dates are DD.MM.YYYY; an unfit item has no valid_date.
 */
export function arshinItem(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    vri_id: `1-${Math.floor(Math.random() * 1e9)}`,
    org_title:
      'ФЕДЕРАЛЬНОЕ БЮДЖЕТНОЕ УЧРЕЖДЕНИЕ "ГОСУДАРСТВЕННЫЙ РЕГИОНАЛЬНЫЙ ЦЕНТР СТАНДАРТИЗАЦИИ, МЕТРОЛОГИИ И ИСПЫТАНИЙ В Г. МОСКВЕ И МОСКОВСКОЙ ОБЛАСТИ"',
    mit_number: '32636-06',
    mit_title: 'Счетчики холодной и горячей воды',
    mit_notation: 'СГВ',
    mi_modification: 'СГВ-15',
    mi_number: '19-123456',
    verification_date: '15.03.2026',
    valid_date: '14.03.2032',
    result_docnum: 'С-ВЯ/15-03-2026/402115790',
    applicability: true,
    ...overrides,
  };
}

/** Arshin's answer around these items: `{"result": {"count", "start", "rows", "items"}}`. */
export function arshinResult(items: Record<string, unknown>[], start = 0, rows = 20) {
  return { result: { count: items.length, start, rows, items } };
}

/**
 * A local stand-in for ФГИС «Аршин»'s `GET /vri`: answers per serial (`mi_number`) from a queue
 * (the last answer repeats), `{"result": {"count": 0, …}}` for serials it was not told about, and
 * every request is logged with its time and query. `down()` makes it answer 503 to everything.
 */
export class ArshinStub {
  readonly requests: StubRequest[] = [];
  private readonly answers = new Map<string, StubAnswer[]>();
  private outage: StubAnswer | null = null;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<ArshinStub> {
    const handlers: ((req: IncomingMessage, res: ServerResponse) => void)[] = [];
    const server = createServer((req, res) => handlers[0]?.(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const stub = new ArshinStub(server, `http://127.0.0.1:${port}`);
    handlers.push((req, res) => void stub.handle(req, res));
    return stub;
  }

  /** What the stub answers for `serial`, in order; the last one keeps being answered. */
  answer(serial: string, ...answers: StubAnswer[]): void {
    this.answers.set(serial, answers);
  }

  /** Every request answered `answer` (503 by default) until `up()`. */
  down(answer: StubAnswer = { status: 503, raw: 'Service Unavailable' }): void {
    this.outage = answer;
  }

  up(): void {
    this.outage = null;
  }

  requestsFor(serial: string): StubRequest[] {
    return this.requests.filter((r) => r.query.mi_number === serial);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const query = Object.fromEntries(url.searchParams);
    this.requests.push({ at: Date.now(), path: url.pathname, query });
    const answer = this.outage ?? this.next(query.mi_number ?? '');
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    if (res.destroyed) return;
    res.writeHead(answer.status ?? 200, {
      'content-type': 'application/json; charset=utf-8',
      ...answer.headers,
    });
    res.end(answer.raw ?? JSON.stringify(answer.body ?? arshinResult([])));
  }

  private next(serial: string): StubAnswer {
    const queue = this.answers.get(serial);
    if (!queue || queue.length === 0) return { body: arshinResult([]) };
    return queue.length > 1 ? (queue.shift() as StubAnswer) : queue[0];
  }
}
