import 'reflect-metadata';
import { UnauthorizedException } from '@nestjs/common';
import type { SubmissionPublisher } from '@gw/messaging';
import type { KioskEnv } from '../kiosk.env';
import type { KioskBatchWorkers } from './kiosk-batch-workers';
import { prepareKioskBatch } from './prepare-kiosk-batch';
import { SubmitKioskBatchUseCase } from './submit-kiosk-batch.use-case';

const BODY = Buffer.from(
  JSON.stringify({
    batchId: '77',
    items: [
      {
        seq: 1,
        accountNumber: '5001234567',
        meterSerial: '19-123451',
        values: [{ zone: 'T1', value: '12' }],
        readAt: '2026-11-20T10:15:00+03:00',
      },
    ],
  }),
);

/** The use case with the batch prepared in process and a publisher that records what it got. */
function useCase() {
  const events: string[] = [];
  const published: { key: string; value: string }[] = [];
  const workers = {
    prepare: (input: Parameters<typeof prepareKioskBatch>[0]) => {
      events.push('prepare');
      return Promise.resolve(prepareKioskBatch(input));
    },
  } as unknown as KioskBatchWorkers;
  const publisher = {
    holdWave: () => {
      events.push('hold');
      return () => events.push('release');
    },
    publishEncoded: async (records: { key: Buffer; value: Buffer }[]) => {
      events.push('publish');
      published.push(...records.map((r) => ({ key: String(r.key), value: String(r.value) })));
    },
  } as unknown as SubmissionPublisher;
  const env = { KIOSK_SUBMISSION_TOPIC: 'topic' } as KioskEnv;
  return { run: new SubmitKioskBatchUseCase(workers, publisher, env), events, published };
}

/** A nonce claim the test settles. */
function claim() {
  let settle: (error?: Error) => void = () => undefined;
  const done = new Promise<void>(
    (resolve, reject) => (settle = (error) => (error ? reject(error) : resolve())),
  );
  done.catch(() => undefined);
  return { claim: { done }, settle };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('SubmitKioskBatchUseCase', () => {
  it('prepares the batch while the nonce is claimed, and publishes only once it is', async () => {
    const { run, events, published } = useCase();
    const nonce = claim();
    const answer = run.execute('K-1', BODY, nonce.claim);
    await tick();
    expect(events).toEqual(['hold', 'prepare']);
    nonce.settle();
    const parsed = JSON.parse(await answer);
    expect(events).toEqual(['hold', 'prepare', 'publish', 'release']);
    expect(parsed.items).toEqual([
      { seq: 1, status: 'queued', submissionId: JSON.parse(published[0].value).submissionId },
    ]);
    expect(published[0].key).toBe('5001234567');
  });

  it('publishes nothing when the claim is refused, and answers with its refusal', async () => {
    const { run, events } = useCase();
    const nonce = claim();
    const answer = run.execute('K-1', BODY, nonce.claim);
    nonce.settle(new UnauthorizedException('X-Nonce was already used'));
    await expect(answer).rejects.toEqual(new UnauthorizedException('X-Nonce was already used'));
    await tick();
    expect(events).toEqual(['hold', 'prepare', 'release']);
  });

  it('answers a refused claim rather than a bad envelope', async () => {
    const { run } = useCase();
    const nonce = claim();
    nonce.settle(new UnauthorizedException('X-Nonce was already used'));
    await expect(run.execute('K-1', Buffer.from('{'), nonce.claim)).rejects.toBeInstanceOf(
      UnauthorizedException,
    );
  });

  it('ends its hold on the Kafka wave when the envelope is bad, publishing nothing', async () => {
    const { run, events } = useCase();
    const nonce = claim();
    nonce.settle();
    await expect(run.execute('K-1', Buffer.from('{'), nonce.claim)).rejects.toThrow(
      'the body is not valid JSON',
    );
    expect(events).toEqual(['hold', 'prepare', 'release']);
  });
});
