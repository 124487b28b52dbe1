import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DECIDED_BY_HEADER, TOPICS } from '@gw/contracts';
import { KafkaPublisher } from '@gw/messaging';
import { BrokerUnavailableError, counter, RepeatingTask } from '@gw/platform';
import {
  isDatabaseUnavailable,
  OutcomeOutboxRepository,
  type PendingOutcome,
} from '@gw/persistence';

/** How a process relays the outcomes its operators' decisions and revalidations leave in the outbox. */
export interface OutcomeRelaySettings {
  /** How often outcomes still in the outbox (Kafka was down at decision time) are retried. */
  intervalMs: number;
  /** The `x-decided-by` header of the outcomes. */
  decidedBy: string;
}

export const OUTCOME_RELAY_SETTINGS = Symbol('OUTCOME_RELAY_SETTINGS');

/** Rows relayed per transaction by the background loop. */
const BATCH = 500;

/**
 * Moves outcomes from the outbox to `meter-readings.outcomes.v1` (keyed by account, like the
 * processor's). A decision calls `publish` with its own rows right after committing; a loop retries
 * whatever is still pending (Kafka was down, or the process died between commit and publish).
 * Delivery is at least once: a crash after Kafka's ack and before the row is marked publishes the
 * same outcome again, which consumers already tolerate from the processor's redeliveries.
 */
@Injectable()
export class OutcomeRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutcomeRelay.name);
  // Registered by the processes that relay, not by every app that loads this library.
  private readonly published = counter(
    'backoffice_outcomes_published_total',
    'Outcomes of operator decisions relayed from the outbox to Kafka',
  );
  private readonly failures = counter(
    'backoffice_outbox_failures_total',
    'Attempts to relay outbox rows that Kafka did not acknowledge',
  );
  private readonly loop = new RepeatingTask(
    () => this.drain(),
    (error) => {
      this.failures.inc();
      this.logger.warn({ msg: 'outbox relay failed; retrying later', error: error.message });
    },
  );

  constructor(
    private readonly outbox: OutcomeOutboxRepository,
    private readonly publisher: KafkaPublisher,
    @Inject(OUTCOME_RELAY_SETTINGS) private readonly settings: OutcomeRelaySettings,
  ) {}

  /**
   * Publishes these outbox rows now; false when Kafka did not take them, or PostgreSQL could not
   * serve the outbox (its rows locked by the loop while Kafka is slow, say): the decision that left
   * them is committed all the same, and the loop retries.
   */
  async publish(ids: string[]): Promise<boolean> {
    try {
      await this.outbox.publishPending({ ids }, (pending) => this.send(pending));
      return true;
    } catch (error) {
      if (!(error instanceof BrokerUnavailableError) && !isDatabaseUnavailable(error)) throw error;
      this.failures.inc();
      this.logger.warn({
        msg: 'outcomes left in the outbox',
        count: ids.length,
        error: (error as Error).message,
      });
      return false;
    }
  }

  onApplicationBootstrap(): void {
    this.loop.start(this.settings.intervalMs);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  private async drain(): Promise<void> {
    while (
      (await this.outbox.publishPending({ limit: BATCH }, (pending) => this.send(pending))) ===
      BATCH
    );
  }

  private async send(pending: PendingOutcome[]): Promise<void> {
    await this.publisher.publish(
      TOPICS.outcomes,
      pending.map(({ outcome }) => ({
        key: outcome.accountNumber,
        value: JSON.stringify(outcome),
        headers: { [DECIDED_BY_HEADER]: this.settings.decidedBy },
      })),
    );
    this.published.inc(pending.length);
  }
}
