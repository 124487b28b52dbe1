import { TOPICS } from '@gw/contracts';
import type { KafkaPublisher } from '@gw/messaging';
import type { EstimateRepository, VerificationReminderRepository } from '@gw/persistence';

/** Rows relayed per transaction. */
const BATCH = 1000;

export interface RelayReport {
  reminders: number;
  estimates: number;
}

/**
 * Moves reminders and estimates from their tables to Kafka, keyed by account number. A row is
 * marked published only after Kafka acknowledged its message, so nothing is lost; a crash between
 * the two publishes that message again, unchanged (consumers key on the reminder's meter, due date
 * and days left, or on the estimate id and method).
 */
export class BillingRelay {
  constructor(
    private readonly reminders: VerificationReminderRepository,
    private readonly estimates: EstimateRepository,
    private readonly publisher: KafkaPublisher,
  ) {}

  async drain(): Promise<RelayReport> {
    return {
      reminders: await this.drainTo(TOPICS.verificationReminders, this.reminders),
      estimates: await this.drainTo(TOPICS.estimates, this.estimates),
    };
  }

  /** Relays `outbox`'s pending rows to `topic`, a batch at a time, until none is left. */
  private async drainTo<M extends { accountNumber: string }>(
    topic: string,
    outbox: {
      publishPending(limit: number, publish: (messages: M[]) => Promise<void>): Promise<number>;
    },
  ): Promise<number> {
    let relayed = 0;
    for (;;) {
      const n = await outbox.publishPending(BATCH, (messages) =>
        this.publisher.publish(
          topic,
          messages.map((m) => ({ key: m.accountNumber, value: JSON.stringify(m) })),
        ),
      );
      relayed += n;
      if (n < BATCH) return relayed;
    }
  }
}
