import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { testDatabase } from '../support/infra';
import { scryptRuns } from '../support/password-metrics';
import { nextTxnId } from './support/osmp-fixtures';
import { readAnswer } from './support/osmp-xml';
import {
  addTerminal,
  startTerminalGateway,
  type TerminalCredentials,
} from './support/terminal-gateway';

const BURST = 5;
const BALANCER_CLIENT = '198.51.100.7';

/** A terminal behind a balancer: the client IP from X-Forwarded-For, limited before any scrypt. */
describe('terminal-gateway: protection before authentication', () => {
  let db: DataSource;
  let app: INestApplication;
  let terminal: TerminalCredentials;

  const check = (ip: string, password: string) =>
    request(app.getHttpServer())
      .get('/v1/terminal/osmp')
      .set('X-Forwarded-For', ip)
      .auth(terminal.login, password)
      .query({ command: 'check', txn_id: nextTxnId(), account: '12', sum: '0' });

  beforeAll(async () => {
    db = await testDatabase();
    terminal = await addTerminal(`T-EDGE-${process.env.E2E_RUN_ID}`, [BALANCER_CLIENT]);
    app = await startTerminalGateway({
      CLIENT_RATE_LIMIT_PER_SECOND: '1',
      CLIENT_RATE_LIMIT_BURST: String(BURST),
      TRUSTED_PROXIES: '127.0.0.0/8,::1',
    });
  });

  afterAll(async () => {
    await app?.close();
    await db?.destroy();
  });

  it('refuses a flood from one address in its XML with HTTP 429, result 1 and Retry-After, before any scrypt', async () => {
    const before = await scryptRuns();
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => check('203.0.113.60', `wrong-${i}`)),
    );
    const refused = answers.filter((a) => a.status === 429);
    // The burst, plus a token a second while the flood lasts.
    const passed = answers.length - refused.length;
    expect(passed).toBeLessThanOrEqual(BURST + Math.ceil((Date.now() - started) / 1000));
    expect(answers.filter((a) => a.status === 401)).toHaveLength(passed);
    expect(refused[0].headers['content-type']).toMatch(/^text\/xml/);
    expect(Number(refused[0].headers['retry-after'])).toBeGreaterThanOrEqual(1);
    const answer = readAnswer(refused[0].text);
    expect(answer.fields.result).toBe('1');
    expect(answer.fields.osmp_txn_id).toMatch(/^\d+$/);
    expect((await scryptRuns()) - before).toBeLessThanOrEqual(passed);
  });

  it('runs one scrypt for a flood of one wrong password from many addresses at once', async () => {
    const before = await scryptRuns();
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => check(`203.0.113.${100 + i}`, 'one-wrong-password')),
    );
    expect(answers.filter((a) => a.status === 401)).toHaveLength(20);
    expect((await scryptRuns()) - before).toBe(1);
  });

  it('applies the allow-list to the client behind the trusted balancer, not to the balancer', async () => {
    const allowed = await check(BALANCER_CLIENT, terminal.password).expect(200);
    expect(readAnswer(allowed.text).fields.result).toBe('4');
    await check('203.0.113.61', terminal.password).expect(401);
  });
});
