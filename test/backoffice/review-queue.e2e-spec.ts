import { DAY_MS, formatDate, moscowDate, toMoscowIso } from '@gw/domain';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { registryRecord, seedMeters, submission } from '../support/factories';
import { eventually, lockWaiters } from '../support/infra';
import { startBackoffice } from './backoffice-app';
import { bearer, DECIDED_BY, ReviewStack } from './review-harness';

describe('backoffice review queue through real Kafka, processor and PostgreSQL', () => {
  let stack: ReviewStack;
  let ivanova: { login: string; token: string };
  let petrov: { login: string; token: string };

  const get = (path: string, token = ivanova.token) => stack.http().get(path).set(bearer(token));
  const post = (path: string, body: object = {}, token = ivanova.token) =>
    stack.http().post(path).set(bearer(token)).send(body);
  const queueIds = async (query = '') =>
    (
      (await get(`/v1/review?status=open${query}`).expect(200)).body.items as {
        submissionId: string;
      }[]
    ).map((i) => i.submissionId);

  beforeAll(async () => {
    stack = await ReviewStack.start({ BACKOFFICE_OUTBOX_INTERVAL_MS: '500' });
    ivanova = await stack.operator('operator');
    petrov = await stack.operator('operator');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('lists what the processor sent to review, oldest first, filtered by channel, reason and age', async () => {
    const [spike, slip] = await stack.inReview(['spike', 'low-confidence']);
    // A spike received an hour ago, on a meter whose last reading is a month older.
    const hourAgo = new Date(Date.now() - 3600 * 1000);
    const [recentMeter] = await seedMeters(stack.db, [
      registryRecord({
        initial_on: formatDate(moscowDate(new Date(hourAgo.getTime() - 30 * DAY_MS))),
      }),
    ]);
    const recent = submission({
      accountNumber: recentMeter.accountNumber,
      meterSerial: recentMeter.serial,
      values: [{ zone: 'T1', value: '00900.000' }],
      readAt: toMoscowIso(hourAgo),
      receivedAt: toMoscowIso(hourAgo),
    });
    await stack.publish([recent]);
    await stack.decided([recent.submissionId]);

    // Other suites leave open items of 20 November in the queue too: one page holds them all.
    const queue = await get('/v1/review?status=open&limit=500').expect(200);
    expect(queue.body.status).toBe('open');
    const mine = queue.body.items.filter((i: { submissionId: string }) =>
      [spike.submissionId, slip.submissionId, recent.submissionId].includes(i.submissionId),
    );
    // Oldest received first: the two of 20 November (in either order), then the one of an hour ago.
    const order = mine.map((i: { submissionId: string }) => i.submissionId);
    expect(order.slice(0, 2).sort()).toEqual([spike.submissionId, slip.submissionId].sort());
    expect(order[2]).toBe(recent.submissionId);
    expect(mine.find((i: { channel: string }) => i.channel === 'paper-slip')).toEqual({
      submissionId: slip.submissionId,
      channel: 'paper-slip',
      status: 'needs_review',
      reasons: ['LOW_CONFIDENCE'],
      warnings: expect.any(Array),
      accountNumber: slip.accountNumber,
      meterSerial: slip.meterSerial,
      billingPeriod: '2026-11',
      values: [{ zone: 'T1', value: '00110.500' }],
      consumption: [{ zone: 'T1', value: '10.500' }],
      confidence: 0.62,
      readAt: '2026-11-20T10:00:00.000+03:00',
      receivedAt: '2026-11-20T10:00:05.000+03:00',
      claim: null,
    });
    expect(queue.body.total).toBeGreaterThanOrEqual(3);

    const cases: [string, string[], string[]][] = [
      ['&channel=paper-slip', [slip.submissionId], [spike.submissionId, recent.submissionId]],
      ['&reason=CONSUMPTION_SPIKE', [spike.submissionId, recent.submissionId], [slip.submissionId]],
      ['&reason=LOW_CONFIDENCE', [slip.submissionId], [spike.submissionId]],
      ['&minAgeHours=48', [spike.submissionId, slip.submissionId], [recent.submissionId]],
      ['&maxAgeHours=48', [recent.submissionId], [spike.submissionId, slip.submissionId]],
      ['&minAgeHours=0.5&maxAgeHours=2', [recent.submissionId], [spike.submissionId]],
    ];
    for (const [query, included, excluded] of cases) {
      const ids = await queueIds(`${query}&limit=500`);
      expect({ query, included: included.filter((id) => ids.includes(id)) }).toEqual({
        query,
        included,
      });
      expect({ query, excluded: excluded.filter((id) => ids.includes(id)) }).toEqual({
        query,
        excluded: [],
      });
    }
    const limited = await get('/v1/review?limit=1').expect(200);
    expect(limited.body.items).toHaveLength(1);
    expect(limited.body.total).toBeGreaterThanOrEqual(3);
  });

  it('counts the total in the same snapshot as its page, while an item leaves the queue', async () => {
    const items = await stack.inReviewOnOneAccount(3);
    // A decision committed while the page is read: the page's statement (it reads the claims) waits
    // on the test's lock, the count does not.
    const runner = stack.db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await runner.query(`LOCK TABLE review_claims IN ACCESS EXCLUSIVE MODE`);
    await runner.query(`UPDATE readings SET status = 'rejected' WHERE submission_id = $1`, [
      items[0].submissionId,
    ]);
    const answer = get(`/v1/review?q=${items[0].accountNumber}`).then((res) => res);
    await eventually(
      () => lockWaiters(stack.db, '%review_claims%'),
      (n) => n >= 1,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    await runner.commitTransaction();
    await runner.release();

    const { body } = await answer;
    expect(body.total).toBe(body.items.length);
    expect(await queueIds(`&q=${items[0].accountNumber}`)).toHaveLength(2);
  });

  it('answers 400 naming the filter that is malformed', async () => {
    const HOURS = (name: string) =>
      `${name} must be a number 0 to 8784, written in digits with at most one decimal point`;
    const cases: [string, string[] | string][] = [
      ['?status=closed', ['status must be open']],
      [
        '?channel=fax',
        ['channel must be one of cabinet, payment-terminal, kiosk, paper-slip, mosenergosbyt'],
      ],
      [
        '?reason=VALUE_FORMAT',
        ['reason must be one of CONSUMPTION_SPIKE, LOW_CONFIDENCE, SUSPECTED_SWAP'],
      ],
      ['?minAgeHours=abc', [HOURS('minAgeHours')]],
      ['?maxAgeHours=-1', [HOURS('maxAgeHours')]],
      // Number() would read these as 0, 16, 100 and 5 hours: refused instead.
      ['?maxAgeHours=', [HOURS('maxAgeHours')]],
      ['?maxAgeHours=%20', [HOURS('maxAgeHours')]],
      ['?minAgeHours=', [HOURS('minAgeHours')]],
      ['?minAgeHours=0x10', [HOURS('minAgeHours')]],
      ['?maxAgeHours=1e2', [HOURS('maxAgeHours')]],
      ['?maxAgeHours=%2B5', [HOURS('maxAgeHours')]],
      ['?maxAgeHours=9000', [HOURS('maxAgeHours')]],
      ['?limit=0', ['limit must be a whole number 1 to 500, written in digits']],
      ['?limit=', ['limit must be a whole number 1 to 500, written in digits']],
      ['?limit=0x10', ['limit must be a whole number 1 to 500, written in digits']],
      ['?limit=1e2', ['limit must be a whole number 1 to 500, written in digits']],
      ['?limit=2.5', ['limit must be a whole number 1 to 500, written in digits']],
      ['?limit=1&limit=2', ['limit must be a whole number 1 to 500, written in digits']],
      ['?offset=', ['offset must be a whole number 0 to 1000000, written in digits']],
      ['?offset=%201', ['offset must be a whole number 0 to 1000000, written in digits']],
      ['?minAgeHours=5&maxAgeHours=1', 'minAgeHours must not exceed maxAgeHours'],
    ];
    const answers = [];
    for (const [query] of cases) {
      const res = await get(`/v1/review${query}`);
      answers.push({ query, status: res.status, message: res.body.message });
    }
    expect(answers).toEqual(
      cases.map(([query, message]) => ({
        query,
        status: 400,
        message: Array.isArray(message) ? expect.arrayContaining(message) : message,
      })),
    );
  });

  it('shows an item with its meter, the meter history and the claim', async () => {
    const [spike] = await stack.inReview(['spike']);
    const item = await get(`/v1/review/${spike.submissionId}`).expect(200);
    expect(item.body).toMatchObject({
      submissionId: spike.submissionId,
      status: 'needs_review',
      reasons: ['CONSUMPTION_SPIKE'],
      consumption: [{ zone: 'T1', value: '800.000' }],
      imageRef: null,
      decision: null,
      claim: null,
      meter: {
        serial: spike.meterSerial,
        verificationStatus: 'valid',
        lastAccepted: { billingPeriod: null, values: [{ zone: 'T1', value: '100.000' }] },
      },
    });
    expect(
      item.body.history.map((r: { submissionId: string; accountNumber: string }) => [
        r.submissionId,
        r.accountNumber,
      ]),
    ).toEqual([[spike.submissionId, spike.accountNumber]]);
  });

  it('gives an item to exactly one of two operators claiming it at the same time', async () => {
    const items = await stack.inReview(['spike', 'spike', 'spike', 'spike', 'spike']);
    for (const { submissionId } of items) {
      const [a, b] = await Promise.all([
        post(`/v1/review/${submissionId}/claim`, {}, ivanova.token),
        post(`/v1/review/${submissionId}/claim`, {}, petrov.token),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const [winner, loser] = a.status === 200 ? [a, b] : [b, a];
      const winnerLogin = a.status === 200 ? ivanova.login : petrov.login;
      expect(winner.body).toEqual({
        submissionId,
        claim: { by: winnerLogin, until: expect.stringMatching(/\+03:00$/) },
      });
      expect(loser.body).toMatchObject({
        statusCode: 409,
        error: 'REVIEW_CLAIMED',
        claimedBy: winnerLogin,
        message: expect.stringContaining(`claimed by ${winnerLogin}`),
      });
      const queued = (await get(`/v1/review?limit=500`).expect(200)).body.items.find(
        (i: { submissionId: string }) => i.submissionId === submissionId,
      );
      expect(queued.claim.by).toBe(winnerLogin);
    }
    const [{ submissionId }] = items;
    const holder = (await get(`/v1/review/${submissionId}`).expect(200)).body.claim.by;
    const [mine, theirs] = holder === ivanova.login ? [ivanova, petrov] : [petrov, ivanova];
    // The other operator can neither decide nor release it...
    await post(`/v1/review/${submissionId}/approve`, { comment: 'ok' }, theirs.token).expect(409);
    await post(`/v1/review/${submissionId}/reject`, { comment: 'no' }, theirs.token).expect(409);
    const notHeld = await post(`/v1/review/${submissionId}/release`, {}, theirs.token).expect(409);
    expect(notHeld.body.error).toBe('NOT_CLAIMED');
    // ...until the holder gives it back; claiming again extends one's own claim.
    await post(`/v1/review/${submissionId}/claim`, {}, mine.token).expect(200);
    await post(`/v1/review/${submissionId}/release`, {}, mine.token).expect(204);
    await post(`/v1/review/${submissionId}/claim`, {}, theirs.token).expect(200);
    // A supervisor may free another operator's claim.
    const supervisor = await stack.operator('supervisor');
    await post(`/v1/review/${submissionId}/release`, {}, supervisor.token).expect(204);
    expect((await get(`/v1/review/${submissionId}`).expect(200)).body.claim).toBeNull();
  });

  it('takes over a claim that has run out', async () => {
    const [spike] = await stack.inReview(['spike']);
    await post(`/v1/review/${spike.submissionId}/claim`, {}, ivanova.token).expect(200);
    await stack.db.query(
      `UPDATE review_claims SET claimed_until = now() - interval '1 second' WHERE submission_id = $1`,
      [spike.submissionId],
    );
    const taken = await post(`/v1/review/${spike.submissionId}/claim`, {}, petrov.token).expect(
      200,
    );
    expect(taken.body.claim.by).toBe(petrov.login);
  });

  it('approves a spike as submitted: accepted for its period, one transaction, an outcome with the same submissionId', async () => {
    const [spike] = await stack.inReview(['spike']);
    await post(`/v1/review/${spike.submissionId}/claim`).expect(200);
    const approved = await post(`/v1/review/${spike.submissionId}/approve`, {
      comment: 'Утечка устранена, показания верны',
    }).expect(200);
    const outcome = {
      schema: 'meter-reading-outcome/1',
      submissionId: spike.submissionId,
      status: 'accepted',
      reasons: [],
      warnings: [],
      accountNumber: spike.accountNumber,
      meterSerial: spike.meterSerial,
      billingPeriod: '2026-11',
      consumption: [{ zone: 'T1', value: '800.000' }],
      decidedAt: expect.stringMatching(/\+03:00$/),
    };
    expect(approved.body).toEqual({
      submissionId: spike.submissionId,
      decision: 'approved',
      outcome,
      outcomePublished: true,
    });
    // The processor's needs_review outcome, then the operator's decision, both on Kafka.
    const published = await stack.outcomesOf(spike.submissionId, 2);
    expect(published.map((o) => o.status)).toEqual(['needs_review', 'accepted']);
    expect(published[1]).toEqual(approved.body.outcome);
    const tapped = stack.outcomes.messages.find(
      (m) =>
        m.value?.toString().includes(spike.submissionId) &&
        m.headers['x-decided-by'] === DECIDED_BY,
    );
    expect(tapped?.key).toBe(spike.accountNumber);

    const submission = await get(`/v1/submissions/${spike.submissionId}`).expect(200);
    expect(submission.body).toMatchObject({
      status: 'accepted',
      reasons: [],
      billingPeriod: '2026-11',
    });
    const meters = await get(`/v1/accounts/${spike.accountNumber}/meters`).expect(200);
    expect(meters.body.meters[0].lastAccepted).toMatchObject({
      billingPeriod: '2026-11',
      values: [{ zone: 'T1', value: '900.000' }],
    });
    const item = await get(`/v1/review/${spike.submissionId}`).expect(200);
    expect(item.body).toMatchObject({
      status: 'accepted',
      claim: null,
      decision: {
        decision: 'approved',
        decidedBy: ivanova.login,
        comment: 'Утечка устранена, показания верны',
        reviewReasons: ['CONSUMPTION_SPIKE'],
        submittedValues: [{ zone: 'T1', value: '00900.000' }],
        correctedValues: null,
      },
    });
    expect(await queueIds('&limit=500')).not.toContain(spike.submissionId);
    const [outbox] = await stack.db.query(
      `SELECT published_at FROM outcome_outbox WHERE submission_id = $1`,
      [spike.submissionId],
    );
    expect(outbox.published_at).toBeInstanceOf(Date);

    const again = await post(`/v1/review/${spike.submissionId}/approve`, {
      comment: 'again',
    }).expect(409);
    expect(again.body.error).toBe('REVIEW_DECIDED');
    await post(`/v1/review/${spike.submissionId}/reject`, { comment: 'again' }).expect(409);
    await post(`/v1/review/${spike.submissionId}/claim`).expect(409);
  });

  it('approves with corrected values, which the rules validate again', async () => {
    const [slip] = await stack.inReview(['low-confidence']);
    const path = `/v1/review/${slip.submissionId}/approve`;
    const refused: [object[], string[]][] = [
      [[{ zone: 'T1', value: '1234567' }], ['VALUE_FORMAT']],
      [[{ zone: 'T1', value: '00050.000' }], ['VALUE_DECREASED']],
      [[{ zone: 'T2', value: '00111.000' }], ['ZONES_MISMATCH']],
    ];
    for (const [values, reasons] of refused) {
      const res = await post(path, { values, comment: 'поправил' });
      expect({ values, status: res.status, body: res.body }).toEqual({
        values,
        status: 422,
        body: {
          statusCode: 422,
          error: 'REVALIDATION_FAILED',
          message: `the reading fails validation: ${reasons.join(', ')}`,
          reasons,
        },
      });
    }
    expect(await queueIds('&limit=500')).toContain(slip.submissionId);

    const approved = await post(path, {
      values: [{ zone: 'T1', value: '00111,250' }],
      comment: 'Сверено с фото квитанции',
    }).expect(200);
    expect(approved.body.outcome).toMatchObject({
      status: 'accepted',
      reasons: [],
      consumption: [{ zone: 'T1', value: '11.250' }],
    });
    const submission = await get(`/v1/submissions/${slip.submissionId}`).expect(200);
    expect(submission.body.values).toEqual([{ zone: 'T1', value: '00111.250' }]);
    const item = await get(`/v1/review/${slip.submissionId}`).expect(200);
    expect(item.body.decision).toMatchObject({
      submittedValues: [{ zone: 'T1', value: '00110.500' }],
      correctedValues: [{ zone: 'T1', value: '00111.250' }],
    });
    expect((await stack.outcomesOf(slip.submissionId, 2))[1]).toEqual(approved.body.outcome);
  });

  it('rejects with a comment: the outcome carries the confirmed review reasons or the codes chosen', async () => {
    const [spike, slip] = await stack.inReview(['spike', 'low-confidence']);
    const confirmed = await post(`/v1/review/${spike.submissionId}/reject`, {
      comment: 'Явная ошибка ввода',
    }).expect(200);
    expect(confirmed.body).toMatchObject({
      decision: 'rejected',
      outcomePublished: true,
      outcome: {
        status: 'rejected',
        reasons: ['CONSUMPTION_SPIKE'],
        consumption: [],
        billingPeriod: '2026-11',
      },
    });
    const chosen = await post(`/v1/review/${slip.submissionId}/reject`, {
      comment: '  Цифры не читаются\n',
      reasons: ['VALUE_FORMAT'],
    }).expect(200);
    expect(chosen.body.outcome).toMatchObject({ status: 'rejected', reasons: ['VALUE_FORMAT'] });
    expect(
      (await stack.outcomesOf(slip.submissionId, 2)).map((o) => [o.status, o.reasons]),
    ).toEqual([
      ['needs_review', ['LOW_CONFIDENCE']],
      ['rejected', ['VALUE_FORMAT']],
    ]);
    const submission = await get(`/v1/submissions/${slip.submissionId}`).expect(200);
    expect(submission.body).toMatchObject({ status: 'rejected', reasons: ['VALUE_FORMAT'] });
    const item = await get(`/v1/review/${slip.submissionId}`).expect(200);
    expect(item.body.decision).toMatchObject({
      decision: 'rejected',
      comment: 'Цифры не читаются',
    });
  });

  it('answers 400 for a malformed id or body, 404 for unknown ids and readings never in review', async () => {
    const [spike] = await stack.inReview(['spike']);
    const COMMENT = 'comment must be 1 to 1000 characters, blanks at either end not counted';
    const ENTRY = 'each entry of values must be an object {zone, value}';
    const bad: [string, object, string[]][] = [
      ['approve', {}, [COMMENT, 'comment must be a string']],
      ['approve', { comment: 'x', values: [] }, ['values must have 1 to 3 entries']],
      [
        'approve',
        { comment: 'x', values: [{ zone: 'T4', value: '1' }] },
        ['values.0.zone must be T1, T2 or T3'],
      ],
      [
        'approve',
        { comment: 'x', values: [{ zone: 'T1', value: '-1' }] },
        ['values.0.value must be a non-negative decimal such as 01234.567'],
      ],
      [
        'approve',
        {
          comment: 'x',
          values: [
            { zone: 'T1', value: '1' },
            { zone: 'T1', value: '2' },
          ],
        },
        ['values must name each zone once'],
      ],
      ['approve', { comment: 'x', values: [[]] }, [ENTRY]],
      ['approve', { comment: 'x', values: [[{ zone: 'T1', value: '00900.000' }]] }, [ENTRY]],
      ['reject', { comment: '' }, [COMMENT]],
      [
        'reject',
        { comment: 'x', reasons: ['NOPE'] },
        [expect.stringContaining('reasons must be codes of UNKNOWN_ACCOUNT')],
      ],
      ['approve', { comment: '   ' }, [COMMENT]],
      ['approve-swapped', { comment: ' \t\n ' }, [COMMENT]],
      ['reject', { comment: '   ' }, [COMMENT]],
    ] as never;
    const answers = [];
    for (const [action, body] of bad) {
      const res = await post(`/v1/review/${spike.submissionId}/${action}`, body);
      answers.push({ action, body, status: res.status, message: res.body.message });
    }
    expect(answers).toEqual(
      bad.map(([action, body, message]) => ({
        action,
        body,
        status: 400,
        message: expect.arrayContaining(message),
      })),
    );
    await get('/v1/review/not-a-uuid').expect(400);
    await post('/v1/review/not-a-uuid/claim').expect(400);
    const unknown = await get(`/v1/review/${randomUUID()}`).expect(404);
    expect(unknown.body.error).toBe('NOT_FOUND');
    await post(`/v1/review/${randomUUID()}/approve`, { comment: 'x' }).expect(404);

    const [meter] = await seedMeters(stack.db, [registryRecord()]);
    const accepted = submission({ accountNumber: meter.accountNumber, meterSerial: meter.serial });
    await stack.publish([accepted]);
    expect((await stack.decided([accepted.submissionId])).get(accepted.submissionId)).toBe(
      'accepted',
    );
    await get(`/v1/review/${accepted.submissionId}`).expect(404);
    await post(`/v1/review/${accepted.submissionId}/claim`).expect(404);
    await post(`/v1/review/${accepted.submissionId}/reject`, { comment: 'x' }).expect(404);
    // None of the refused requests decided or claimed the item.
    const item = await get(`/v1/review/${spike.submissionId}`).expect(200);
    expect(item.body).toMatchObject({ status: 'needs_review', decision: null, claim: null });
  });

  it('keeps a decision whose outcome Kafka did not take in the outbox, and publishes it once Kafka answers', async () => {
    const [spike] = await stack.inReview(['spike']);
    // The same back office, cut off from Kafka: the decision commits, the outcome waits.
    const offline = await startBackoffice({
      KAFKA_BROKERS: '127.0.0.1:9',
      KAFKA_SEND_TIMEOUT_MS: '1000',
      BACKOFFICE_OUTBOX_INTERVAL_MS: '600000',
      BACKOFFICE_DECIDED_BY: DECIDED_BY,
    });
    try {
      const res = await request(offline.getHttpServer())
        .post(`/v1/review/${spike.submissionId}/approve`)
        .set(bearer(ivanova.token))
        .send({ comment: 'Kafka недоступна' })
        .expect(200);
      expect(res.body).toMatchObject({ decision: 'approved', outcomePublished: false });
    } finally {
      await offline.close();
    }
    const submission = await get(`/v1/submissions/${spike.submissionId}`).expect(200);
    expect(submission.body.status).toBe('accepted');
    // The connected app's relay (every 500 ms here) publishes it.
    const published = await stack.outcomesOf(spike.submissionId, 2);
    expect(published[1]).toMatchObject({ status: 'accepted', submissionId: spike.submissionId });
    await eventually(
      () =>
        stack.db.query(`SELECT published_at FROM outcome_outbox WHERE submission_id = $1`, [
          spike.submissionId,
        ]),
      (rows: { published_at: Date | null }[]) => rows.length === 1 && rows[0].published_at !== null,
    );
  });
});
