import { TIMESTAMP_RULE } from '@gw/contracts';
import { AuditLogRepository } from '@gw/persistence';
import type { DataSource } from 'typeorm';
import {
  CREDENTIAL_HOLDERS,
  CredentialStatusRepository,
} from '../../apps/ctl/src/persistence/credential-status.repository';
import { bearer, ReviewStack } from './review-harness';

describe('backoffice audit log of operator actions', () => {
  let stack: ReviewStack;

  beforeAll(async () => {
    stack = await ReviewStack.start();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('records who did what and when, with before and after, and shows it to admins newest first', async () => {
    const operator = await stack.operator('operator');
    const admin = await stack.operator('admin');
    const [spike] = await stack.inReview(['spike']);
    const post = (path: string, body: object = {}) =>
      stack.http().post(path).set(bearer(operator.token)).send(body);
    await post(`/v1/review/${spike.submissionId}/claim`).expect(200);
    await post(`/v1/review/${spike.submissionId}/approve`, { comment: 'ok' }).expect(200);

    const audit = (query: string) =>
      stack.http().get(`/v1/audit${query}`).set(bearer(admin.token)).expect(200);
    const mine = await audit(`?login=${operator.login}`);
    expect(mine.body.entries.map((e: { action: string }) => e.action)).toEqual([
      'review.approve',
      'review.claim',
      'auth.login',
    ]);
    const [approve, claim, login] = mine.body.entries;
    expect(login).toMatchObject({
      login: operator.login,
      role: 'operator',
      subject: `operator:${operator.login}`,
    });
    expect(claim).toMatchObject({
      subject: `review:${spike.submissionId}`,
      before: { claim: null },
      after: { claim: { by: operator.login } },
    });
    expect(approve).toEqual({
      id: expect.stringMatching(/^\d+$/),
      at: expect.stringMatching(/\+03:00$/),
      login: operator.login,
      role: 'operator',
      action: 'review.approve',
      subject: `review:${spike.submissionId}`,
      before: {
        status: 'needs_review',
        reasons: ['CONSUMPTION_SPIKE'],
        warnings: [],
        billingPeriod: '2026-11',
        consumption: [{ zone: 'T1', value: '800.000' }],
        values: [{ zone: 'T1', value: '00900.000' }],
        claim: { by: operator.login, until: expect.any(String) },
      },
      after: {
        status: 'accepted',
        reasons: [],
        warnings: [],
        billingPeriod: '2026-11',
        consumption: [{ zone: 'T1', value: '800.000' }],
        values: [{ zone: 'T1', value: '00900.000' }],
        comment: 'ok',
        correctedValues: null,
      },
    });
    expect(approve.at >= claim.at).toBe(true);

    const bySubject = await audit(`?subject=review:${spike.submissionId}&action=review.claim`);
    expect(bySubject.body.entries).toHaveLength(1);
    const page = await audit(`?login=${operator.login}&limit=2`);
    expect(page.body.entries).toHaveLength(2);
    const next = await audit(`?login=${operator.login}&limit=2&beforeId=${page.body.nextBeforeId}`);
    expect(next.body).toEqual({
      entries: [expect.objectContaining({ action: 'auth.login' })],
      nextBeforeId: null,
    });
    // A last page that is full has no next page either.
    const whole = await audit(`?login=${operator.login}&limit=3`);
    expect(whole.body.entries).toHaveLength(3);
    expect(whole.body.nextBeforeId).toBeNull();
    const none = await audit(
      `?login=${operator.login}&from=${encodeURIComponent('2099-01-01T00:00:00+03:00')}`,
    );
    expect(none.body.entries).toEqual([]);
    const bad = await stack
      .http()
      .get('/v1/audit?from=yesterday&limit=1e2')
      .set(bearer(admin.token))
      .expect(400);
    expect(bad.body.message).toEqual([
      `from ${TIMESTAMP_RULE}`,
      'limit must be a whole number 1 to 1000, written in digits',
    ]);
    // Ends compare as instants: midnight in Moscow on 1 December is 21:00 UTC on 30 November.
    const range = (from: string, to: string) =>
      stack
        .http()
        .get(`/v1/audit?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)
        .set(bearer(admin.token));
    await range('2026-12-01T00:00:00+03:00', '2026-11-30T22:00:00Z').expect(200);
    const backwards = await range('2026-12-01T00:00:00+03:00', '2026-11-30T20:00:00Z').expect(400);
    expect(backwards.body.message).toEqual(['from must not be after to']);
  });

  it("lists every action written (ctl's included) in the API schema, and filters by each", async () => {
    const operator = await stack.operator('operator');
    const admin = await stack.operator('admin');
    const ctl = { login: 'ctl', role: 'admin' };
    const credentials = new CredentialStatusRepository(stack.db);
    expect(await credentials.setDisabled('operator', operator.login, true, ctl)).toBe(true);
    expect(await credentials.setDisabled('operator', operator.login, false, ctl)).toBe(true);

    const subject = `operator:${operator.login}`;
    const disabled = await stack
      .http()
      .get(`/v1/audit?subject=${subject}&action=operator.disable`)
      .set(bearer(admin.token))
      .expect(200);
    expect(disabled.body.entries).toEqual([
      expect.objectContaining({
        login: 'ctl',
        role: 'admin',
        action: 'operator.disable',
        subject,
        after: { disabled: true },
      }),
    ]);

    const doc = (await stack.http().get('/docs-json').expect(200)).body;
    const parameters: { name: string; schema: { enum: string[] } }[] =
      doc.paths['/v1/audit'].get.parameters;
    const listed = parameters.find((p) => p.name === 'action')?.schema.enum ?? [];
    expect(listed).toEqual(
      expect.arrayContaining(CREDENTIAL_HOLDERS.flatMap((h) => [`${h}.disable`, `${h}.enable`])),
    );
    // And whatever else this run's database holds (in a full run, other suites write `dlq replay`,
    // `review.approve_swapped`, `meter.verification.arshin`, `kiosk.disable`, …).
    const written: { action: string }[] = await stack.db.query(
      'SELECT DISTINCT action FROM audit_log',
    );
    expect(written.map((r) => r.action).filter((action) => !listed.includes(action))).toEqual([]);
  });

  it("finds an operator's entries by login and by subject ignoring case, as sign-in does", async () => {
    const operator = await stack.operator('operator');
    const admin = await stack.operator('admin');
    const credentials = new CredentialStatusRepository(stack.db);
    await credentials.setDisabled('operator', operator.login, true, {
      login: 'ctl',
      role: 'admin',
    });
    const audit = async (query: string) =>
      (await stack.http().get(`/v1/audit${query}`).set(bearer(admin.token)).expect(200)).body;
    const upper = operator.login.toUpperCase();

    expect((await audit(`?login=${upper}`)).entries).toEqual([
      expect.objectContaining({ login: operator.login, action: 'auth.login' }),
    ]);
    expect((await audit(`?subject=operator:${upper}`)).entries).toEqual([
      expect.objectContaining({
        action: 'operator.disable',
        subject: `operator:${operator.login}`,
      }),
      expect.objectContaining({ action: 'auth.login', subject: `operator:${operator.login}` }),
    ]);
    // Only an operator's subject: a review item's is matched exactly.
    const [spike] = await stack.inReview(['spike']);
    await stack
      .http()
      .post(`/v1/review/${spike.submissionId}/claim`)
      .set(bearer(admin.token))
      .expect(200);
    const review = `review:${spike.submissionId}`;
    expect((await audit(`?subject=${review}`)).entries).toHaveLength(1);
    expect((await audit(`?subject=${review.toUpperCase()}`)).entries).toEqual([]);
  });

  it('is append-only: the database refuses to change or delete entries', async () => {
    await stack.operator('operator');
    for (const statement of [
      'UPDATE audit_log SET action = $1',
      'DELETE FROM audit_log WHERE action <> $1',
      'TRUNCATE audit_log',
    ]) {
      const params = statement.includes('$1') ? ['x'] : [];
      await expect(stack.db.query(statement, params)).rejects.toThrow(/audit_log is append-only/);
    }
    const [{ n }] = await stack.db.query(`SELECT count(*)::int AS n FROM audit_log`);
    expect(n).toBeGreaterThan(0);
  });

  it('reads the entries of an action, newest first, from an index, not by reading the whole log', async () => {
    // The plan of the repository's own statement; the planner reads a table this small whole
    // anyway, so a scan of it is ruled out, as it would be for a log of millions of entries.
    const plans = await stack.db.transaction(async (tx) => {
      await tx.query(`SET LOCAL enable_seqscan = off`);
      const seen: string[] = [];
      const explaining = {
        query: async (sql: string, params: unknown[]) => {
          const [row]: { 'QUERY PLAN': unknown }[] = await tx.query(
            `EXPLAIN (FORMAT JSON) ${sql}`,
            params,
          );
          seen.push(JSON.stringify(row['QUERY PLAN']));
          return [];
        },
      } as unknown as DataSource;
      const filter = { from: null, to: null, login: null, subject: null, beforeId: null };
      await new AuditLogRepository(explaining).list({
        ...filter,
        action: 'operator.add',
        limit: 101,
      });
      await new AuditLogRepository(explaining).list({
        ...filter,
        action: 'operator.add',
        beforeId: '1000',
        limit: 101,
      });
      return seen;
    });
    for (const plan of plans) expect(plan).toMatch(/"Index Cond":"[^"]*\(action\)::text = /);
  });
});
