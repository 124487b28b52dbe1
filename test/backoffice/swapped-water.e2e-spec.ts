import type { INestApplication } from '@nestjs/common';
import type { OutcomeMessage } from '@gw/contracts';
import { DAY_MS, formatDate, moscowDate, toMoscowIso } from '@gw/domain';
import {
  addKiosk,
  getSubmission,
  type Kiosk,
  postBatch,
  startGateway,
} from '../kiosk/kiosk-harness';
import { bearer, ReviewStack } from './review-harness';

/**
 * Swapped cold and hot water (domain.md; contract section 3, SUSPECTED_SWAP): readings typed into
 * a real kiosk-gateway the wrong way round reach the review queue through Kafka and the
 * reading-processor, and an operator approves them swapped through the back-office API.
 */
describe('swapped cold and hot water through a kiosk, the processor and the back office', () => {
  let stack: ReviewStack;
  let gateway: INestApplication;
  let kiosk: Kiosk;
  let operator: { login: string; token: string };
  let admin: { login: string; token: string };
  let batches = 0;

  // Readings are stamped with the server's clock: read an hour ago, meters installed 31 days before.
  const READ_AT = new Date(Date.now() - 3600_000);
  const installedOn = formatDate(moscowDate(new Date(READ_AT.getTime() - 31 * DAY_MS)));

  const get = (path: string, token = operator.token) => stack.http().get(path).set(bearer(token));
  const post = (path: string, body: object, token = operator.token) =>
    stack.http().post(path).set(bearer(token)).send(body);

  /** A water account (`ReviewStack.waterAccount`) whose meters were read 31 days before READ_AT. */
  const waterAccount = (coldVerifiedOn = installedOn) =>
    stack.waterAccount(installedOn, coldVerifiedOn);

  /** Submits `values` (serial to value) in one kiosk batch; the submission ids, in that order. */
  async function submit(
    account: string,
    values: [string, string][],
    readAt = READ_AT,
  ): Promise<string[]> {
    batches += 1;
    const res = await postBatch(gateway, kiosk, {
      batchId: `swap-${process.env.E2E_RUN_ID}-${batches}`,
      items: values.map(([serial, value], i) => ({
        seq: i + 1,
        accountNumber: account,
        meterSerial: serial,
        values: [{ zone: 'T1', value }],
        readAt: toMoscowIso(readAt),
      })),
    }).expect(202);
    const ids = (res.body.items as { submissionId: string }[]).map((i) => i.submissionId);
    await stack.decided(ids);
    return ids;
  }

  const acceptedOn = (serial: string) =>
    stack.db.query(
      `SELECT submission_id, t1::text, consumption_total::text FROM readings
        WHERE meter_serial = $1 AND status = 'accepted' ORDER BY read_at`,
      [serial],
    ) as Promise<{ submission_id: string; t1: string; consumption_total: string }[]>;

  beforeAll(async () => {
    stack = await ReviewStack.start({ BACKOFFICE_OUTBOX_INTERVAL_MS: '500' });
    gateway = await startGateway();
    kiosk = await addKiosk('K-SWAP');
    operator = await stack.operator('operator');
    admin = await stack.operator('admin');
  });

  afterAll(async () => {
    await gateway?.close();
    await stack?.stop();
  });

  it('sends a swapped pair to review as SUSPECTED_SWAP and approves both onto the right meters in one action', async () => {
    const { account, cold, hot } = await waterAccount();
    // The hot value typed for the cold meter (lower than 300) and the cold one for the hot meter
    // (155 m³ in a month, above hot water's 2 m³ a day).
    const [coldId, hotId] = await submit(account, [
      [cold, '00155.000'],
      [hot, '00305.000'],
    ]);

    for (const id of [coldId, hotId]) {
      const [outcome] = await stack.outcomesOf(id, 1);
      expect(outcome).toMatchObject({ status: 'needs_review', reasons: ['SUSPECTED_SWAP'] });
      // The kiosk's receipt shows the code too.
      const receipt = await getSubmission(gateway, kiosk, id).expect(200);
      expect(receipt.body).toMatchObject({ status: 'needs_review', reasons: ['SUSPECTED_SWAP'] });
    }
    const queue = await get(`/v1/review?reason=SUSPECTED_SWAP&limit=500`).expect(200);
    const queued = queue.body.items.map((i: { submissionId: string }) => i.submissionId);
    expect(queued).toEqual(expect.arrayContaining([coldId, hotId]));
    const coldItem = await get(`/v1/review/${coldId}`).expect(200);
    expect(coldItem.body).toMatchObject({
      reasons: ['SUSPECTED_SWAP'],
      consumption: [],
      swapCounterpart: { serial: hot, resource: 'hot_water' },
    });

    const swapped = await post(`/v1/review/${coldId}/approve-swapped`, {
      comment: 'ХВС и ГВС перепутаны местами',
    }).expect(200);
    expect(swapped.body).toMatchObject({
      submissionId: coldId,
      decision: 'approved',
      outcomePublished: true,
    });
    const byId = new Map(
      (swapped.body.swapped as { submissionId: string }[]).map((s) => [s.submissionId, s]),
    );
    expect(byId.get(coldId)).toMatchObject({
      fromMeterSerial: cold,
      toMeterSerial: hot,
      outcome: {
        status: 'accepted',
        reasons: [],
        meterSerial: hot,
        consumption: [{ zone: 'T1', value: '5.000' }],
      },
    });
    expect(byId.get(hotId)).toMatchObject({
      fromMeterSerial: hot,
      toMeterSerial: cold,
      outcome: {
        status: 'accepted',
        reasons: [],
        meterSerial: cold,
        consumption: [{ zone: 'T1', value: '5.000' }],
      },
    });

    // Each value is accepted once, on the meter it belongs to.
    expect(await acceptedOn(cold)).toEqual([
      { submission_id: hotId, t1: '305.000000', consumption_total: '5.000000' },
    ]);
    expect(await acceptedOn(hot)).toEqual([
      { submission_id: coldId, t1: '155.000000', consumption_total: '5.000000' },
    ]);
    const meters = await get(`/v1/accounts/${account}/meters`).expect(200);
    const last = new Map(
      meters.body.meters.map((m: { serial: string; lastAccepted: { values: unknown } }) => [
        m.serial,
        m.lastAccepted.values,
      ]),
    );
    expect(last.get(cold)).toEqual([{ zone: 'T1', value: '305.000' }]);
    expect(last.get(hot)).toEqual([{ zone: 'T1', value: '155.000' }]);

    // Kafka carries the decision for each submission, naming the meter it now counts for.
    const [, coldDecided] = await stack.outcomesOf(coldId, 2);
    const [, hotDecided] = await stack.outcomesOf(hotId, 2);
    expect([coldDecided.meterSerial, coldDecided.status]).toEqual([hot, 'accepted']);
    expect([hotDecided.meterSerial, hotDecided.status]).toEqual([cold, 'accepted']);

    const decided = await get(`/v1/review/${hotId}`).expect(200);
    expect(decided.body).toMatchObject({
      status: 'accepted',
      meterSerial: cold,
      swapCounterpart: null,
      decision: {
        decision: 'approved',
        decidedBy: operator.login,
        reviewReasons: ['SUSPECTED_SWAP'],
        submittedValues: [{ zone: 'T1', value: '00305.000' }],
        swappedFromSerial: hot,
      },
    });
    const audit = await get(
      `/v1/audit?action=review.approve_swapped&subject=review:${hotId}`,
      admin.token,
    ).expect(200);
    expect(audit.body.entries).toEqual([
      expect.objectContaining({
        login: operator.login,
        before: expect.objectContaining({ status: 'needs_review', meterSerial: hot }),
        after: expect.objectContaining({
          status: 'accepted',
          meterSerial: cold,
          swappedWith: [coldId],
        }),
      }),
    ]);
    const again = await post(`/v1/review/${hotId}/approve-swapped`, { comment: 'ещё раз' }).expect(
      409,
    );
    expect(again.body.error).toBe('REVIEW_DECIDED');

    // The next reading of the cold meter counts from the swapped value, in order.
    const [next] = await submit(account, [[cold, '00307.500']], new Date(Date.now() - 60_000));
    const [nextOutcome] = await stack.outcomesOf(next, 1);
    expect(nextOutcome).toMatchObject({
      status: 'accepted',
      meterSerial: cold,
      consumption: [{ zone: 'T1', value: '2.500' }],
    });
  });

  it('moves a single swapped value, and refuses what is no swap', async () => {
    const { account, cold, hot } = await waterAccount();
    const [coldId] = await submit(account, [[cold, '00152.000']]);
    // 450 m³ in a month on the cold meter, and as much on the hot one: a plain spike.
    const spike = await waterAccount();
    const [spikeId] = await submit(spike.account, [[spike.cold, '00750.000']]);
    const [outcome] = await stack.outcomesOf(coldId, 1);
    expect(outcome.reasons).toEqual(['SUSPECTED_SWAP']);
    expect((await stack.outcomesOf(spikeId, 1))[0].reasons).toEqual(['CONSUMPTION_SPIKE']);

    // Approved as submitted, the value is still lower than the cold meter's last one.
    const plain = await post(`/v1/review/${coldId}/approve`, { comment: 'как есть' }).expect(422);
    expect(plain.body).toMatchObject({
      error: 'REVALIDATION_FAILED',
      reasons: ['VALUE_DECREASED'],
    });
    const notSwap = await post(`/v1/review/${spikeId}/approve-swapped`, {
      comment: 'нет',
    }).expect(422);
    expect(notSwap.body.error).toBe('NOT_SWAPPABLE');
    await post(`/v1/review/${coldId}/approve-swapped`, {}).expect(400);

    const swapped = await post(`/v1/review/${coldId}/approve-swapped`, {
      comment: 'значение горячей воды',
    }).expect(200);
    expect(swapped.body.swapped).toEqual([
      {
        submissionId: coldId,
        fromMeterSerial: cold,
        toMeterSerial: hot,
        outcome: expect.objectContaining<Partial<OutcomeMessage>>({
          status: 'accepted',
          meterSerial: hot,
          consumption: [{ zone: 'T1', value: '2.000' }],
        }),
      },
    ]);
    expect(await acceptedOn(cold)).toEqual([]);
    expect(await acceptedOn(hot)).toEqual([
      { submission_id: coldId, t1: '152.000000', consumption_total: '2.000000' },
    ]);
  });

  it('revalidation after a new verification finds the swap as the processor would', async () => {
    const lapsed = formatDate(moscowDate(new Date(READ_AT.getTime() - 800 * DAY_MS)));
    const { account, cold, hot } = await waterAccount(lapsed);
    const [coldId] = await submit(account, [[cold, '00154.000']]);
    expect((await stack.outcomesOf(coldId, 1))[0].reasons).toEqual(['VERIFICATION_EXPIRED']);

    await post(
      `/v1/meters/${cold}/verifications`,
      {
        verifiedOn: formatDate(moscowDate(new Date(READ_AT.getTime() - 2 * DAY_MS))),
        intervalMonths: 72,
        certificateNo: 'C-SWAP',
      },
      admin.token,
    ).expect(201);
    const res = await post(`/v1/meters/${cold}/revalidate`, {}, admin.token).expect(200);
    expect(res.body.revalidated).toEqual([
      expect.objectContaining({
        submissionId: coldId,
        outcome: expect.objectContaining({ status: 'needs_review', reasons: ['SUSPECTED_SWAP'] }),
      }),
    ]);
    const item = await get(`/v1/review/${coldId}`).expect(200);
    expect(item.body.swapCounterpart).toMatchObject({ serial: hot });
  });

  it('offers «Принять с заменой ХВС/ГВС» on the review page of a suspected swap only', async () => {
    const { account, cold, hot } = await waterAccount();
    const [coldId] = await submit(account, [[cold, '00151.000']]);
    const spike = await waterAccount();
    const [spikeId] = await submit(spike.account, [[spike.cold, '00750.000']]);
    const { cookie, csrf } = await stack.webSession('operator');
    const page = (id: string) =>
      stack.http().get(`/review/${id}`).set('Cookie', cookie).expect(200);

    const swapPage = await page(coldId);
    expect(swapPage.text).toContain('Принять с заменой ХВС/ГВС');
    expect(swapPage.text).toContain(
      `Другой счётчик воды: <a href="/meters/${hot}">${hot}</a> (горячая вода)`,
    );
    expect((await page(spikeId)).text).not.toContain('Принять с заменой ХВС/ГВС');

    const swap = (comment: string) =>
      stack
        .http()
        .post(`/review/${coldId}/approve-swapped`)
        .set('Cookie', cookie)
        .type('form')
        .send({ _csrf: csrf, comment });
    // A blank comment comes back at its field, announced; nothing is moved.
    const blank = await swap('  ').expect(422);
    expect(blank.text).toMatch(
      /id="swap-comment"[^>]* aria-invalid="true" aria-describedby="swap-comment-error"/,
    );
    expect(blank.text).toContain(
      '<p class="field-error" id="swap-comment-error" role="alert">Напишите комментарий к решению (до 1000 знаков).</p>',
    );
    const done = await swap('перепутаны').expect(303);
    expect(done.headers.location).toBe(`/?done=swapped&id=${coldId}&n=1`);
    expect(await acceptedOn(hot)).toEqual([
      { submission_id: coldId, t1: '151.000000', consumption_total: '1.000000' },
    ]);
    const decided = await page(coldId);
    expect(decided.text).toContain(`передано для прибора ${cold}, принято для ${hot}`);
  });
});
