import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { eventually, testDatabase, testKafka } from '../support/infra';
import { startProcessor } from '../support/processor';
import { proxyDatabase } from '../support/tcp-proxy';
import {
  seedAccount,
  type SeededAccount,
  twoMeterPay,
  twoMeterPayIds,
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

/**
 * Kafka and PostgreSQL are shared with other engineers' runs, so neither is stopped: each outage
 * is a second gateway instance whose own connection leads nowhere (a closed port for Kafka, a
 * relay that is cut for PostgreSQL), next to the normal instance the terminal retries against.
 */
describe('terminal-gateway: result 1 while Kafka or PostgreSQL is out of reach', () => {
  let gateway: INestApplication;
  let processor: INestApplication;
  let db: DataSource;
  let tap: SubmittedTap;
  let terminal: TerminalCredentials;
  const instances: INestApplication[] = [];

  const get = (app: INestApplication, params: Record<string, string>) =>
    request(app.getHttpServer()).get(PATH).query(params).auth(terminal.login, terminal.password);

  const payParams = (seeded: SeededAccount) => twoMeterPay(seeded, '150.00');

  const idsOf = (seeded: SeededAccount, txnId: string) =>
    twoMeterPayIds(terminal.terminalId, seeded, txnId);
  const stored = async (ids: string[]) =>
    (
      await db.query(
        'SELECT count(*)::int AS n FROM readings WHERE submission_id = ANY($1::uuid[])',
        [ids],
      )
    )[0].n as number;
  const txnStatus = async (txnId: string) =>
    (
      await db.query('SELECT status FROM terminal_txns WHERE terminal_id = $1 AND txn_id = $2', [
        terminal.terminalId,
        txnId,
      ])
    )[0]?.status ?? null;

  beforeAll(async () => {
    db = await testDatabase();
    terminal = await addTerminal(`T-${process.env.E2E_RUN_ID}-outage`);
    tap = await SubmittedTap.open(testKafka('e2e-terminal-outage'), [terminal.terminalId]);
    processor = await startProcessor({ PROCESSOR_FROM_BEGINNING: 'false' });
    gateway = await startTerminalGateway();
  });

  afterAll(async () => {
    for (const app of [...instances, gateway, processor]) await app?.close();
    await tap?.close();
    await db?.destroy();
  });

  it('Kafka unreachable: pay answers 1 and nothing is stored; the retried pay succeeds once', async () => {
    const noKafka = await startTerminalGateway({
      KAFKA_BROKERS: `127.0.0.1:${await closedPort()}`,
      KAFKA_SEND_TIMEOUT_MS: '1500',
    });
    instances.push(noKafka);
    const seeded = await seedAccount(db);
    const params = payParams(seeded);
    const ids = idsOf(seeded, params.txn_id);

    // check needs no Kafka; pay does, and must not say OK.
    const check = await get(noKafka, {
      command: 'check',
      txn_id: '1',
      account: seeded.account,
      sum: '0',
    });
    expect(readAnswer(check.text).fields.result).toBe('0');
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const failed = await get(noKafka, params).expect(200);
      expect(readAnswer(failed.text).fields).toEqual({
        osmp_txn_id: params.txn_id,
        sum: '150.00',
        result: '1',
        comment: 'temporarily unavailable, retry later',
      });
    }
    expect(await txnStatus(params.txn_id)).toBe('pending');
    expect(
      readAnswer((await get(gateway, { command: 'status', txn_id: params.txn_id })).text).fields,
    ).toEqual({
      osmp_txn_id: params.txn_id,
      result: '300',
      comment: 'pay not completed: repeat the pay with the same parameters',
    });
    await tap.settle();
    expect(ids.map((id) => tap.count(id))).toEqual([0, 0]);
    expect(await stored(ids)).toBe(0);

    // The terminal retries later; by then its request reaches an instance that has Kafka.
    const retried = readAnswer((await get(gateway, params).expect(200)).text).fields;
    expect(retried).toEqual({
      osmp_txn_id: params.txn_id,
      prv_txn: expect.stringMatching(/^\d+$/),
      sum: '150.00',
      result: '0',
      comment: 'OK',
    });
    expect(readAnswer((await get(gateway, params)).text).fields).toEqual(retried);
    await eventually(
      () => stored(ids),
      (n) => n === 2,
    );
    expect(await txnStatus(params.txn_id)).toBe('done');
    await tap.settle();
    expect(ids.map((id) => tap.count(id))).toEqual([1, 1]);
    // Once done, even the instance without Kafka answers the repeat from the txn store.
    expect(readAnswer((await get(noKafka, params)).text).fields).toEqual(retried);
  });

  it('PostgreSQL unreachable: check and pay answer 1 (never 401); the retried pay succeeds once', async () => {
    const { proxy: relay, url } = await proxyDatabase();
    const noDatabase = await startTerminalGateway({ DATABASE_URL: url });
    instances.push(noDatabase);
    const seeded = await seedAccount(db);
    const check = { command: 'check', txn_id: '2', account: seeded.account, sum: '0' };
    expect(readAnswer((await get(noDatabase, check)).text).fields.result).toBe('0');

    await relay.cut();
    const params = payParams(seeded);
    for (const sent of [check, params]) {
      const res = await get(noDatabase, sent).expect(200);
      expect(readAnswer(res.text).fields).toMatchObject({
        osmp_txn_id: sent.txn_id,
        result: '1',
        comment: 'temporarily unavailable, retry later',
      });
    }
    const ids = idsOf(seeded, params.txn_id);
    expect(await txnStatus(params.txn_id)).toBeNull();
    await tap.settle();
    expect(ids.map((id) => tap.count(id))).toEqual([0, 0]);

    const retried = readAnswer((await get(gateway, params).expect(200)).text).fields;
    expect(retried.result).toBe('0');
    await eventually(
      () => stored(ids),
      (n) => n === 2,
    );
    await tap.settle();
    expect(ids.map((id) => tap.count(id))).toEqual([1, 1]);
  });
});
