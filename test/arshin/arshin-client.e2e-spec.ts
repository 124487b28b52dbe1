import { ArshinClient, ArshinLookupError, type ArshinSettings } from '@gw/runtime';
import { ArshinStub, arshinItem, arshinResult } from '../support/arshin-stub';

describe('ArshinClient against a local stand-in for ФГИС «Аршин»', () => {
  let stub: ArshinStub;

  beforeAll(async () => {
    stub = await ArshinStub.start();
  });

  afterAll(async () => {
    await stub?.close();
  });

  beforeEach(() => {
    stub.up();
    stub.requests.length = 0;
  });

  const client = (settings: Partial<ArshinSettings> = {}) =>
    new ArshinClient({
      url: stub.url,
      minIntervalMs: 200,
      timeoutMs: 2000,
      maxAttempts: 3,
      backoffMs: 100,
      circuitFailures: 3,
      circuitOpenMs: 60000,
      ...settings,
    });

  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: ArshinLookupError) => ({ kind: error.kind, message: error.message }),
    );

  it('asks for one serial and type, latest first, and sends nothing else', async () => {
    const items = [
      arshinItem({ mi_number: 'C-1', verification_date: '15.03.2026', valid_date: '14.03.2032' }),
      arshinItem({ mi_number: 'C-1', verification_date: '10.03.2020', valid_date: '09.03.2026' }),
    ];
    stub.answer('C-1', { body: arshinResult(items) });
    const answer = await client().lookup('C-1', '32636-06');
    expect(answer).toEqual({ count: 2, items });
    expect(stub.requests.map((r) => ({ path: r.path, query: r.query }))).toEqual([
      {
        path: '/vri',
        query: {
          mi_number: 'C-1',
          mit_number: '32636-06',
          sort: 'verification_date desc',
          rows: '20',
          start: '0',
        },
      },
    ]);
  });

  it('writes spaces (and a stray *) as ? and leaves the type out when unknown', async () => {
    await client().lookup('AB 12*3', null);
    expect(stub.requests[0].query).toEqual({
      mi_number: 'AB?12?3',
      sort: 'verification_date desc',
      rows: '20',
      start: '0',
    });
  });

  it('answers an empty result with no items', async () => {
    expect(await client().lookup('NOTHING-1', null)).toEqual({ count: 0, items: [] });
  });

  it('reads further pages while Arshin counts more records, up to five pages', async () => {
    const items = Array.from({ length: 25 }, (_, i) =>
      arshinItem({ mi_number: 'M-1', vri_id: `1-${1000 - i}` }),
    );
    const page = (start: number, count = 25) => ({
      body: { result: { count, start, rows: 20, items: items.slice(start, start + 20) } },
    });
    stub.answer('M-1', page(0), page(20));
    expect(await client().lookup('M-1', null)).toEqual({ count: 25, items });
    expect(stub.requestsFor('M-1').map((r) => r.query.start)).toEqual(['0', '20']);

    // A serial with more records than five pages: the count tells the caller what was left.
    stub.answer('M-2', {
      body: {
        result: {
          count: 150,
          start: 0,
          rows: 20,
          items: Array.from({ length: 20 }, () => arshinItem({ mi_number: 'M-2' })),
        },
      },
    });
    const many = await client().lookup('M-2', null);
    expect({ count: many.count, read: many.items.length }).toEqual({ count: 150, read: 100 });
    expect(stub.requestsFor('M-2').map((r) => r.query.start)).toEqual([
      '0',
      '20',
      '40',
      '60',
      '80',
    ]);
  });

  it('sends one request at a time, at least the minimum interval apart', async () => {
    const polite = client({ minIntervalMs: 400 });
    await Promise.all(['P-1', 'P-2', 'P-3', 'P-4'].map((s) => polite.lookup(s, null)));
    const at = stub.requests.map((r) => r.at);
    expect(at).toHaveLength(4);
    for (let i = 1; i < at.length; i += 1) expect(at[i] - at[i - 1]).toBeGreaterThanOrEqual(390);
  });

  it('waits as a 429 says (Retry-After) and tries again', async () => {
    stub.answer(
      'R-429',
      { status: 429, raw: 'Too Many Requests', headers: { 'retry-after': '1' } },
      { body: arshinResult([arshinItem({ mi_number: 'R-429' })]) },
    );
    const answer = await client().lookup('R-429', null);
    expect(answer.count).toBe(1);
    const [first, second] = stub.requestsFor('R-429').map((r) => r.at);
    expect(second - first).toBeGreaterThanOrEqual(990);
  });

  it('backs off on 5xx, doubling, and gives up after the last attempt', async () => {
    stub.answer('R-5XX', { status: 502, raw: '<html>Bad Gateway</html>' });
    expect(await failure(client().lookup('R-5XX', null))).toEqual({
      kind: 'unavailable',
      message: 'HTTP 502',
    });
    const at = stub.requestsFor('R-5XX').map((r) => r.at);
    expect(at).toHaveLength(3);
    expect(at[1] - at[0]).toBeGreaterThanOrEqual(190);
    expect(at[2] - at[1]).toBeGreaterThanOrEqual(190);
  });

  it('reports malformed JSON at once, without retrying', async () => {
    stub.answer('R-BAD', { raw: '{"result": {"count": 1, "items": [' });
    expect(await failure(client().lookup('R-BAD', null))).toEqual({
      kind: 'malformed',
      message: 'answer is not Arshin JSON',
    });
    stub.answer('R-SHAPE', { body: { result: { count: 1 } } });
    expect((await failure(client().lookup('R-SHAPE', null)))?.kind).toBe('malformed');
    expect(stub.requests).toHaveLength(2);
  });

  it('gives up on a slow answer after the timeout', async () => {
    stub.answer('R-SLOW', { delayMs: 1500, body: arshinResult([]) });
    const started = Date.now();
    expect(
      await failure(client({ timeoutMs: 300, maxAttempts: 1 }).lookup('R-SLOW', null)),
    ).toEqual({ kind: 'unavailable', message: 'no answer: timed out' });
    expect(Date.now() - started).toBeLessThan(1200);
  });

  it('opens the circuit after failed lookups in a row, sends nothing while open, then tries once', async () => {
    const breaker = client({ maxAttempts: 1, circuitFailures: 2, circuitOpenMs: 800 });
    stub.down();
    expect((await failure(breaker.lookup('O-1', null)))?.kind).toBe('unavailable');
    expect(breaker.circuitOpen).toBe(false);
    expect((await failure(breaker.lookup('O-2', null)))?.kind).toBe('unavailable');
    expect(breaker.circuitOpen).toBe(true);
    expect(await failure(breaker.lookup('O-3', null))).toEqual({
      kind: 'circuit_open',
      message: 'Arshin is not answering; circuit open',
    });
    expect(stub.requests).toHaveLength(2);

    stub.up();
    await new Promise((resolve) => setTimeout(resolve, 850));
    expect(await breaker.lookup('O-4', null)).toEqual({ count: 0, items: [] });
    expect(breaker.circuitOpen).toBe(false);
    expect(stub.requests).toHaveLength(3);
  });
});
