import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { payFingerprint } from '../../apps/terminal-gateway/src/osmp/osmp-params';
import { TerminalTxnRepository } from '../../apps/terminal-gateway/src/persistence/terminal-txn.repository';
import { eventually, testDatabase, testKafka } from '../support/infra';
import {
  nextTxnId,
  paySubmissionId,
  type SeededAccount,
  seedAccount,
  txnDateNow,
} from './support/osmp-fixtures';
import { readAnswer } from './support/osmp-xml';
import { SubmittedTap } from './support/submitted-tap';
import {
  addTerminal,
  closedPort,
  startTerminalGateway,
  type TerminalCredentials,
} from './support/terminal-gateway';

const PATH = '/v1/terminal/osmp';
const DRAIN_MS = 3000;

/**
 * A pay repeated while its first attempt is still running waits for that attempt, up to a lease
 * (KAFKA_SEND_TIMEOUT_MS + 5 s), and may publish after it: longer than the drain. On SIGTERM the
 * repeat stops waiting and answers 1, so no terminal's connection is cut by the drain.
 */
describe('terminal-gateway: a repeated pay during shutdown', () => {
  let gateway: INestApplication;
  let db: DataSource;
  let tap: SubmittedTap;
  let terminal: TerminalCredentials;

  /** The answer's fields, or how the connection failed. */
  const send = (app: INestApplication, params: Record<string, string>) =>
    request(app.getHttpServer())
      .get(PATH)
      .query(params)
      .auth(terminal.login, terminal.password)
      .then(
        (res) => ({ status: res.status, ...readAnswer(res.text).fields }),
        (error: Error) => ({ failed: error.message }),
      );

  const payParams = (seeded: SeededAccount) => ({
    command: 'pay',
    txn_id: nextTxnId(),
    txn_date: txnDateNow(),
    account: seeded.account,
    sum: '10.00',
    meter1: seeded.water,
    t1_1: '00110,500',
  });

  const txnRow = async (txnId: string) =>
    (
      await db.query(
        'SELECT status, attempt_at FROM terminal_txns WHERE terminal_id = $1 AND txn_id = $2',
        [terminal.terminalId, txnId],
      )
    )[0] as { status: string; attempt_at: Date | null } | undefined;

  /** Closes the app as SIGTERM does; how long it took. */
  const shutDown = async (app: INestApplication) => {
    const started = Date.now();
    await app.close();
    return Date.now() - started;
  };

  /** The answer `1` (retry later) to the pay of `params`, with its comment. */
  const retryLater = (params: { txn_id: string }, comment: string) => ({
    status: 200,
    result: '1',
    osmp_txn_id: params.txn_id,
    sum: '10.00',
    comment,
  });

  /**
   * Sends the pay again; resolves once that repeat asks for the lease of the txn another attempt
   * holds, so that a shutdown begun after it finds the repeat waiting. Its answer comes later.
   */
  const repeatWaiting = async (app: INestApplication, params: Record<string, string>) => {
    const claim = jest.spyOn(app.get(TerminalTxnRepository), 'claim');
    const answer = send(app, params);
    await eventually(
      async () => claim.mock.calls.length,
      (calls) => calls > 0,
    );
    return { answer };
  };

  beforeAll(async () => {
    db = await testDatabase();
    terminal = await addTerminal(`T-${process.env.E2E_RUN_ID}-shutdown`);
    tap = await SubmittedTap.open(testKafka('e2e-terminal-shutdown'), [terminal.terminalId]);
    gateway = await startTerminalGateway();
  });

  afterAll(async () => {
    await gateway?.close();
    await tap?.close();
    await db?.destroy();
  });

  it('the repeat of a pay still publishing answers 1 at once, the pay answers as usual, nothing is cut', async () => {
    const stopping = await startTerminalGateway({
      KAFKA_BROKERS: `127.0.0.1:${await closedPort()}`,
      KAFKA_SEND_TIMEOUT_MS: '2000',
      SHUTDOWN_TIMEOUT_MS: String(DRAIN_MS),
    });
    const seeded = await seedAccount(db);
    const params = payParams(seeded);
    const first = send(stopping, params);
    await eventually(
      () => txnRow(params.txn_id),
      (row) => row?.status === 'pending',
    );
    const repeat = await repeatWaiting(stopping, params);

    const closeMs = await shutDown(stopping);
    expect(await repeat.answer).toEqual(
      retryLater(params, 'txn_id is being processed, retry later'),
    );
    expect(await first).toEqual(retryLater(params, 'temporarily unavailable, retry later'));
    expect(closeMs).toBeLessThan(DRAIN_MS);
    // The failed attempt gave its lease back: the terminal's retry elsewhere completes the txn.
    expect(await txnRow(params.txn_id)).toEqual({ status: 'pending', attempt_at: null });
    expect(await send(gateway, params)).toMatchObject({ status: 200, result: '0' });
    await tap.settle();
    expect(tap.count(paySubmissionId(terminal.terminalId, params.txn_id, 1, seeded.water))).toBe(1);
  });

  it('the repeat of a pay whose attempt died answers 1 when the shutdown begins, not after the drain', async () => {
    const stopping = await startTerminalGateway({ SHUTDOWN_TIMEOUT_MS: String(DRAIN_MS) });
    const seeded = await seedAccount(db);
    const params = payParams(seeded);
    // Another instance kept the pay and was killed before publishing: its lease runs 15 s.
    await new TerminalTxnRepository(db).insertPending({
      terminalId: terminal.terminalId,
      txnId: params.txn_id,
      paramsHash: payFingerprint(params),
      accountNumber: seeded.account,
      sum: '10.00',
      submissions: [],
    });
    const repeat = await repeatWaiting(stopping, params);

    const closeMs = await shutDown(stopping);
    expect(await repeat.answer).toEqual(
      retryLater(params, 'txn_id is being processed, retry later'),
    );
    expect(closeMs).toBeLessThan(DRAIN_MS);
  });
});
