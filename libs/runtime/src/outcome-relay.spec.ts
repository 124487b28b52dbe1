import { Logger } from '@nestjs/common';
import type { KafkaPublisher } from '@gw/messaging';
import type { OutcomeOutboxRepository } from '@gw/persistence';
import { BrokerUnavailableError } from '@gw/platform';
import { OutcomeRelay } from './outcome-relay';

/** A relay whose outbox fails every publish with `failure`. */
function relayFailingWith(failure: Error): OutcomeRelay {
  const outbox = {
    publishPending: async () => {
      throw failure;
    },
  } as unknown as OutcomeOutboxRepository;
  return new OutcomeRelay(outbox, {} as KafkaPublisher, { intervalMs: 1000, decidedBy: 'test' });
}

/** What node-postgres throws when `lock_timeout` ends a wait for a row lock. */
const lockTimeout = () =>
  Object.assign(new Error('canceling statement due to lock timeout'), { code: '55P03' });

describe('OutcomeRelay.publish, after the decision committed', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it.each<[string, () => Error]>([
    ['Kafka did not take the outcomes', () => new BrokerUnavailableError('timeout')],
    ['PostgreSQL could not lock the outbox rows in time', lockTimeout],
    [
      'PostgreSQL is out of reach',
      () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    ],
  ])('answers false, leaving them to the loop, when %s', async (_, failure) => {
    await expect(relayFailingWith(failure()).publish(['1'])).resolves.toBe(false);
  });

  it('fails on anything else', async () => {
    await expect(relayFailingWith(new TypeError('a defect')).publish(['1'])).rejects.toBeInstanceOf(
      TypeError,
    );
  });
});
