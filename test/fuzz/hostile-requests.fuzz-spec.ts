import { toMoscowIso } from '@gw/domain';
import request from 'supertest';
import { postBatch } from '../kiosk/kiosk-harness';
import { basic } from '../slips/slip-harness';
import { EDGE_NAMES, type EdgeName, Edges } from '../support/edges';
import { eventually } from '../support/infra';
import { paySubmissionId } from '../terminal/support/osmp-fixtures';
import { type FuzzRequest, type FuzzTargets, HostileRequests } from './hostile-requests';
import { SeededRandom } from './seeded-random';
import { type RawAnswer, sendRaw } from './send-raw';

/** Overridable: FUZZ_SEED, FUZZ_REQUESTS, FUZZ_PAGE_REQUESTS, FUZZ_CONCURRENCY. */
const SEED = Number(process.env.FUZZ_SEED ?? 20261205);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 10_000);
const CONCURRENCY = Number(process.env.FUZZ_CONCURRENCY ?? 24);
const PAGE_REQUESTS = Number(process.env.FUZZ_PAGE_REQUESTS ?? 2_000);
const DECIDED_WITHIN_MS = 10_000;

jest.setTimeout(30 * 60_000);

interface Failure {
  request: Pick<FuzzRequest, 'edge' | 'label' | 'method'> & { path: string };
  answer: RawAnswer;
}

const print = (line: string) => process.stdout.write(`${line}\n`);

describe('fuzz: hostile requests at every HTTP edge', () => {
  let edges: Edges;

  beforeAll(async () => {
    // Hostile payloads must reach parsing and validation, not the per-IP and per-kiosk rate limits
    // (the limits have suites of their own), so every edge takes the whole flood from one address.
    const unlimited = {
      CLIENT_RATE_LIMIT_PER_SECOND: '1000000',
      CLIENT_RATE_LIMIT_BURST: '1000000',
    };
    edges = await Edges.start({
      kiosk: {
        ...unlimited,
        KIOSK_RATE_LIMIT_PER_SECOND: '100000',
        KIOSK_RATE_LIMIT_BURST: '100000',
      },
      terminal: unlimited,
      cabinet: unlimited,
      // Nor the cap on uploads at once (24 requests at once, a few of them uploads).
      slips: { ...unlimited, SLIP_MAX_UPLOADS: '1000' },
      backoffice: unlimited,
    });
  });

  afterAll(async () => {
    await edges?.stop();
  });

  it(`answers ${REQUESTS} seeded hostile requests without a 5xx or a reset; every app stays ready and the processor decides every channel`, async () => {
    print(
      `fuzz: seed ${SEED} (FUZZ_SEED), ${REQUESTS} requests (FUZZ_REQUESTS), ${CONCURRENCY} at a time (FUZZ_CONCURRENCY)`,
    );
    const requests = new HostileRequests(new SeededRandom(SEED), targets(edges));
    const { failures, sent } = await flood(edges, REQUESTS, () => requests.next());

    const notReady: string[] = [];
    for (const name of [...EDGE_NAMES, 'processor'] as const) {
      const ready = await request(edges.app(name).getHttpServer()).get('/health/ready');
      if (ready.status !== 200) notReady.push(`${name} ${ready.status}`);
    }

    const decided = await decidedAfterFuzz(edges).then(
      () => true,
      (error: Error) => {
        print(`fuzz: ${error.message}`);
        return false;
      },
    );
    const fiveXx = failures.filter((f) => 'status' in f.answer).length;
    print(`fuzz: ${sent} requests, ${fiveXx} 5xx, processor ${decided ? 'ok' : 'stuck'}`);
    expect(failures).toEqual([]);
    expect(notReady).toEqual([]);
    expect(decided).toBe(true);
  });

  it(`answers ${PAGE_REQUESTS} seeded hostile requests to the residents' pages without a 5xx or a reset`, async () => {
    print(
      `fuzz: residents' pages, seed ${SEED + 1}, ${PAGE_REQUESTS} requests (FUZZ_PAGE_REQUESTS)`,
    );
    const pages = new HostileRequests(new SeededRandom(SEED + 1), targets(edges));
    const { failures } = await flood(edges, PAGE_REQUESTS, () => pages.cabinetPage());
    expect(failures).toEqual([]);
    await request(edges.app('cabinet').getHttpServer()).get('/health/ready').expect(200);
    // The resident's session outlived the flood: no page request ended it.
    await request(edges.app('cabinet').getHttpServer())
      .get('/v1/cabinet/accounts')
      .set(edges.resident.auth)
      .expect(200);
  });
});

/** One valid reading through each channel, each decided by the processor within 10 s. */
async function decidedAfterFuzz(edges: Edges): Promise<void> {
  const { accountNumber, serial } = edges.account;
  const value = (n: number) => `${String(900 + n).padStart(8, '0')}.000`;
  const ids: Partial<Record<EdgeName, string>> = {};

  const kiosk = await postBatch(edges.app('kiosk'), edges.kiosk, {
    batchId: `after-fuzz-${process.env.E2E_RUN_ID}`,
    items: [
      {
        seq: 1,
        accountNumber,
        meterSerial: serial,
        values: [{ zone: 'T1', value: value(1) }],
        readAt: toMoscowIso(new Date()),
      },
    ],
  });
  ids.kiosk = kiosk.body?.items?.[0]?.submissionId;

  const txnId = String(Date.now());
  await request(edges.app('terminal').getHttpServer())
    .post('/v1/terminal/osmp')
    .set('Authorization', basic(edges.terminal))
    .type('form')
    .send({
      command: 'pay',
      txn_id: txnId,
      txn_date: toMoscowIso(new Date()).replace(/[-T:]/g, '').slice(0, 14),
      account: accountNumber,
      sum: '0',
      meter1: serial,
      t1_1: value(2),
    });
  ids.terminal = paySubmissionId(edges.terminal.terminalId, txnId, 1, serial);

  const cabinet = await request(edges.app('cabinet').getHttpServer())
    .post(`/v1/cabinet/accounts/${accountNumber}/readings`)
    .set(edges.resident.auth)
    .send({ readings: [{ meterSerial: serial, values: [{ zone: 'T1', value: value(3) }] }] });
  ids.cabinet = cabinet.body?.readings?.[0]?.submissionId;

  const batchId = `AFTER-FUZZ-${process.env.E2E_RUN_ID}`;
  const qr = `ST00012|Name=X|PersonalAcc=40702810040000012345|BankName=B|BIC=044525225|CorrespAcc=30101810400000000225|PersAcc=${accountNumber}`;
  const slips = request(edges.app('slips').getHttpServer());
  await slips
    .post('/v1/slips/batches')
    .set('Authorization', basic(edges.centre))
    .set('X-Batch-Id', batchId)
    .set('Content-Type', 'text/csv')
    .send(
      `slip_id;qr_payload;meter_serial;zone;value;confidence;image_ref\nS-after;${qr};${serial};T1;${value(4)};0.99;\n`,
    );
  const report = await slips
    .get(`/v1/slips/batches/${batchId}`)
    .set('Authorization', basic(edges.centre));
  ids.slips = report.body?.items?.[0]?.submissionId;

  const wanted = Object.entries(ids).filter(([, id]) => typeof id === 'string');
  if (wanted.length !== 4)
    throw new Error(`not every channel queued its reading: ${JSON.stringify(ids)}`);
  const started = Date.now();
  await eventually(
    () => edges.decided(wanted.map(([, id]) => id as string)),
    (found) => found.length === wanted.length,
    DECIDED_WITHIN_MS,
    200,
  ).catch((error: Error) => {
    throw new Error(`processor stuck: ${error.message}`);
  });
  print(`fuzz: a reading of each channel decided ${Date.now() - started} ms after it was queued`);
}

/**
 * Sends `count` requests made by `next` (each when it is sent: kiosk signatures carry the current
 * time), CONCURRENCY at a time, and prints what came back; a 5xx or a reset is a failure.
 */
async function flood(
  edges: Edges,
  count: number,
  next: () => FuzzRequest,
): Promise<{ failures: Failure[]; sent: number }> {
  const failures: Failure[] = [];
  const statuses = new Map<string, number>();
  let sent = 0;
  const started = Date.now();

  const busy = new Map<string, number>();
  const send = async (fuzz: FuzzRequest) => {
    const at = Date.now();
    const answer = await sendRaw(
      edges.port(fuzz.edge),
      fuzz.method,
      fuzz.path,
      fuzz.headers,
      fuzz.body,
    );
    sent += 1;
    const kind = `${fuzz.edge} ${fuzz.label.split(':')[0].slice(0, 40)}`;
    busy.set(kind, (busy.get(kind) ?? 0) + Date.now() - at);
    const key = 'status' in answer ? `${fuzz.edge} ${answer.status}` : `${fuzz.edge} reset`;
    statuses.set(key, (statuses.get(key) ?? 0) + 1);
    if (!('status' in answer) || answer.status >= 500)
      failures.push({
        request: {
          edge: fuzz.edge,
          label: fuzz.label,
          method: fuzz.method,
          path: fuzz.path.slice(0, 200),
        },
        answer,
      });
  };
  let generated = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (generated < count) {
        generated += 1;
        // Generated when sent: kiosk signatures carry the current time.
        const fuzz = next();
        await send(fuzz);
        if (fuzz.replay) await send(fuzz);
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  print(`fuzz: ${sent} requests in ${seconds.toFixed(1)} s (${Math.round(sent / seconds)}/s)`);
  print(`fuzz: answers ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
  const slowest = [...busy].sort((a, b) => b[1] - a[1]).slice(0, 12);
  print(`fuzz: time spent by kind (ms) ${JSON.stringify(Object.fromEntries(slowest))}`);
  for (const failure of failures.slice(0, 20)) print(`fuzz: FAILED ${JSON.stringify(failure)}`);
  return { failures, sent };
}

/** What the hostile requests aim at: the credentials and the account the edges were set up with. */
function targets(edges: Edges): FuzzTargets {
  return {
    kiosk: edges.kiosk,
    terminal: edges.terminal,
    centre: edges.centre,
    operatorToken: edges.operator.token,
    residentToken: edges.resident.token,
    account: edges.account,
  };
}
