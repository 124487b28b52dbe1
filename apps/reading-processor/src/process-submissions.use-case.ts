import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  DECIDED_BY_HEADER,
  decodeSubmission,
  type OutcomeMessage,
  type SubmissionMessage,
  TOPICS,
} from '@gw/contracts';
import {
  afterAccepted,
  decideReading,
  initialReading,
  type MeterState,
  type ReadingPolicy,
  toMoscowIso,
} from '@gw/domain';
import { deadLetter, type InboundBatch, type InboundMessage, KafkaPublisher } from '@gw/messaging';
import { type BatchContext, type DecidedReading, ReadingRepository } from '@gw/persistence';
import { counter, histogram } from '@gw/platform';
import { READING_POLICY } from '@gw/runtime';
import { PROCESSOR_ENV, type ProcessorEnv } from './processor.env';

const decisions = counter('processor_decisions_total', 'Decisions by status and reason', [
  'status',
  'reason',
]);
const deadLettered = counter('processor_dead_lettered_total', 'Messages sent to the DLQ');
const redelivered = counter(
  'processor_redelivered_total',
  'Submissions seen again; their stored outcome was re-published',
);
const stageSeconds = histogram(
  'processor_stage_seconds',
  'Time per batch stage',
  [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2],
  ['stage'],
);

interface Decodable {
  message: SubmissionMessage;
  offset: string;
}

/**
 * Decides a partition batch: decode, load what the batch needs in a few queries, apply the rules
 * in offset order (so several readings of one meter see each other), store in one transaction,
 * then publish outcomes. The transport commits offsets only after this resolves.
 */
@Injectable()
export class ProcessSubmissionsUseCase {
  private readonly logger = new Logger(ProcessSubmissionsUseCase.name);

  constructor(
    private readonly readings: ReadingRepository,
    private readonly publisher: KafkaPublisher,
    @Inject(READING_POLICY) private readonly policy: ReadingPolicy,
    @Inject(PROCESSOR_ENV) private readonly env: ProcessorEnv,
  ) {}

  async execute(batch: InboundBatch): Promise<void> {
    const timer = stageSeconds.startTimer({ stage: 'decode' });
    const valid: Decodable[] = [];
    const poison: { message: InboundMessage; error: string }[] = [];
    for (const message of batch.messages) {
      const decoded = decodeSubmission(message.value);
      if (decoded.ok) valid.push({ message: decoded.value, offset: message.offset });
      else poison.push({ message, error: decoded.error });
    }
    timer();
    await deadLetter(
      this.publisher,
      TOPICS.submittedDlq,
      batch,
      poison.map(({ message, error }) => ({ message, reason: error })),
      'UNDECODABLE',
      { [DECIDED_BY_HEADER]: this.env.PROCESSOR_GROUP_ID },
    );
    deadLettered.inc(poison.length);
    if (valid.length === 0) return;

    const context = await this.measure('load', () =>
      this.readings.loadContext(
        unique(valid.map((v) => v.message.submissionId)),
        unique(valid.map((v) => v.message.accountNumber)),
        unique(valid.map((v) => v.message.meterSerial)),
      ),
    );
    const { fresh, outcomes } = await this.measure('decide', () =>
      this.decide(batch.partition, valid, context),
    );
    const written = await this.measure('store', () =>
      this.readings.transaction((tx) => this.readings.insertDecisions(tx, fresh)),
    );
    const raced = fresh
      .filter((r) => !written.has(r.message.submissionId))
      .map((r) => r.message.submissionId);
    const final = raced.length === 0 ? outcomes : await this.replaceRaced(outcomes, raced);
    await this.measure('publish', () =>
      this.publisher.publish(
        TOPICS.outcomes,
        final.map((o) => ({
          key: o.accountNumber,
          value: JSON.stringify(o),
          // Which processor group decided: tells deployments sharing a broker apart.
          headers: { [DECIDED_BY_HEADER]: this.env.PROCESSOR_GROUP_ID },
        })),
      ),
    );
    for (const o of final) {
      for (const reason of o.reasons.length > 0 ? o.reasons : ['none'])
        decisions.inc({ status: o.status, reason });
    }
  }

  private decide(partition: number, valid: Decodable[], context: BatchContext) {
    const states = new Map<string, MeterState>();
    const known = new Map(context.stored);
    const fresh: DecidedReading[] = [];
    const outcomes: OutcomeMessage[] = [];
    for (const { message, offset } of valid) {
      const previous = known.get(message.submissionId);
      if (previous) {
        redelivered.inc();
        outcomes.push(previous);
        continue;
      }
      const meter = context.meters.get(message.meterSerial) ?? null;
      const state = states.get(message.meterSerial) ?? {
        last:
          context.lastAccepted.get(message.meterSerial) ??
          (meter ? initialReading(meter.initialOn, meter.initialValues) : null),
        history: context.history.get(message.meterSerial) ?? [],
      };
      const readAt = new Date(message.readAt);
      const decision = decideReading(
        {
          accountNumber: message.accountNumber,
          values: message.values,
          readAt,
          receivedAt: new Date(message.receivedAt),
          confidence: message.confidence,
        },
        { accountKnown: context.accounts.has(message.accountNumber), meter, state },
        this.policy,
      );
      if (decision.status === 'accepted')
        states.set(message.meterSerial, afterAccepted(state, readAt, decision));
      const decidedAt = new Date();
      const outcome: OutcomeMessage = {
        schema: 'meter-reading-outcome/1',
        submissionId: message.submissionId,
        status: decision.status,
        reasons: decision.reasons,
        warnings: decision.warnings,
        accountNumber: message.accountNumber,
        meterSerial: message.meterSerial,
        billingPeriod: decision.billingPeriod,
        consumption: decision.consumption,
        decidedAt: toMoscowIso(decidedAt),
      };
      known.set(message.submissionId, outcome);
      fresh.push({ message, decision, decidedAt, partition, offset });
      outcomes.push(outcome);
    }
    return { fresh, outcomes };
  }

  /** Another processor stored some of these first (a rebalance race): publish what it stored. */
  private async replaceRaced(
    outcomes: OutcomeMessage[],
    raced: string[],
  ): Promise<OutcomeMessage[]> {
    const stored = new Map(
      (await this.readings.findOutcomes(raced)).map((o) => [o.submissionId, o]),
    );
    return outcomes.map((o) => stored.get(o.submissionId) ?? o);
  }

  /** Times one stage of a batch (`processor_stage_seconds`); the profile the benchmark prints. */
  private async measure<T>(stage: string, work: () => Promise<T> | T): Promise<T> {
    const end = stageSeconds.startTimer({ stage });
    try {
      return await work();
    } finally {
      end();
    }
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
