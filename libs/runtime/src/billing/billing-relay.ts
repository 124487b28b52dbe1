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
    const report: RelayReport = { reminders: 0, estimates: 0 };
    for (;;) {
      const n = await this.reminders.publishPending(BATCH, (messages) =>
        this.publisher.publish(
          TOPICS.verificationReminders,
          messages.map((m) => ({ key: m.accountNumber, value: JSON.stringify(m) })),
        ),
      );
      report.reminders += n;
      if (n < BATCH) break;
    }
    for (;;) {
      const n = await this.estimates.publishPending(BATCH, (messages) =>
        this.publisher.publish(
          TOPICS.estimates,
          messages.map((m) => ({ key: m.accountNumber, value: JSON.stringify(m) })),
        ),
      );
      report.estimates += n;
      if (n < BATCH) break;
    }
    return report;
  }
}
