import type { ChildProcess } from 'node:child_process';
import type { INestApplication } from '@nestjs/common';
import { TOPICS } from '@gw/contracts';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { freePort } from '../../scripts/local-env';
import { lastAnswer, spawnCrashingApp } from '../support/crashing-app';
import { eventually, testDatabase, testKafka, untilLive } from '../support/infra';
import { startProcessor } from '../support/processor';
import { exited } from '../support/processor-process';
import { seedAccount, twoMeterPay, twoMeterPayIds } from './support/osmp-fixtures';
import { readAnswer } from './support/osmp-xml';
import { SubmittedTap } from './support/submitted-tap';
import {
  addTerminal,
  startTerminalGateway,
  type TerminalCredentials,
} from './support/terminal-gateway';

const PATH = '/v1/terminal/osmp';
/** The crashed attempt's lease is this plus 5 s. */
const SEND_TIMEOUT_MS = 2000;

/**
 * The terminal-gateway killed with SIGKILL in the middle of a `pay`, just before or just after
 * Kafka acknowledged its readings: the txn stays pending under the dead attempt's lease and no
 * answer went out. The terminal repeats the pay to the next gateway: it is answered `1` at most
 * while the lease runs, then `0`, and every reading is stored once.
 */
describe('terminal-gateway killed mid-pay', () => {
  let db: DataSource;
  let processor: INestApplication;
  let tap: SubmittedTap;
  let terminal: TerminalCredentials;
  let gateway: INestApplication | undefined;
  let child: ChildProcess | undefined;

  const stored = (ids: string[]) =>
    db.query(
      `SELECT submission_id, count(*)::int AS n FROM readings
        WHERE submission_id = ANY($1::uuid[]) GROUP BY submission_id`,
      [ids],
    ) as Promise<{ submission_id: string; n: number }[]>;

  beforeAll(async () => {
    db = await testDatabase();
    terminal = await addTerminal(`T-${process.env.E2E_RUN_ID}-crash`);
    tap = await SubmittedTap.open(testKafka('e2e-terminal-crash'), [terminal.terminalId]);
    processor = await startProcessor({ PROCESSOR_FROM_BEGINNING: 'false' });
  });

  afterEach(async () => {
    child?.kill('SIGKILL');
    if (child) await exited(child);
    child = undefined;
    await gateway?.close();
    gateway = undefined;
  });

  afterAll(async () => {
    await processor?.close();
    await tap?.close();
    await db?.destroy();
  });

  it.each(['before', 'after'] as const)(
    'answers the repeat of a pay killed %s Kafka acknowledged it with 0 and stores it once',
    async (at) => {
      const seeded = await seedAccount(db);
      const params = twoMeterPay(seeded, '150.00');
      const ids = twoMeterPayIds(terminal.terminalId, seeded, params.txn_id);
      const port = await freePort();
      child = spawnCrashingApp(
        'apps/terminal-gateway/src/main.ts',
        { topic: TOPICS.submitted, marker: ids[0], at },
        { TERMINAL_GATEWAY_PORT: String(port), KAFKA_SEND_TIMEOUT_MS: String(SEND_TIMEOUT_MS) },
      );
      const url = `http://127.0.0.1:${port}`;
      await untilLive(url);
      const auth = `Basic ${Buffer.from(`${terminal.login}:${terminal.password}`).toString('base64')}`;
      const cut = fetch(`${url}${PATH}?${new URLSearchParams(params)}`, {
        headers: { Authorization: auth },
      });
      expect(await lastAnswer(child, cut)).toEqual({ answer: 'no answer', signal: 'SIGKILL' });
      const [txn] = await db.query(
        'SELECT status FROM terminal_txns WHERE terminal_id = $1 AND txn_id = $2',
        [terminal.terminalId, params.txn_id],
      );
      expect(txn.status).toBe('pending');

      gateway = await startTerminalGateway();
      const pay = async () =>
        readAnswer(
          (
            await request((gateway as INestApplication).getHttpServer())
              .get(PATH)
              .query(params)
              .auth(terminal.login, terminal.password)
              .expect(200)
          ).text,
        ).fields;
      const results: string[] = [];
      const done = await eventually(
        async () => {
          const fields = await pay();
          results.push(fields.result);
          return fields;
        },
        (fields) => fields.result !== '1',
        3 * (SEND_TIMEOUT_MS + 5000),
        500,
      );
      expect(done).toEqual({
        osmp_txn_id: params.txn_id,
        prv_txn: expect.stringMatching(/^\d+$/),
        sum: '150.00',
        result: '0',
        comment: 'OK',
      });
      expect(new Set(results)).toEqual(new Set(results.length > 1 ? ['1', '0'] : ['0']));
      expect(await pay()).toEqual(done);

      const rows = await eventually(
        () => stored(ids),
        (found) => found.length === ids.length,
        30_000,
        200,
      );
      expect(rows.map((r) => r.n)).toEqual([1, 1]);
      await tap.settle();
      // Published again by the repeat when the first attempt had reached Kafka; stored once.
      expect(ids.map((id) => tap.count(id))).toEqual(at === 'before' ? [1, 1] : [2, 2]);
    },
  );
});
