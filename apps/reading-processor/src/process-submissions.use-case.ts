import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  childSpan,
  DECIDED_BY_HEADER,
  decodeSubmission,
  type OutcomeMessage,
  parseTraceparent,
  type SubmissionMessage,
  type TraceContext,
  TOPICS,
  TRACEPARENT_HEADER,
  traceHeaders,
} from '@gw/contracts';
import {
  afterAccepted,
  decideReading,
  type MeterState,
  mayBeSwapped,
  type ReadingPolicy,
  readingFacts,
  readingOutcome,
  submissionInput,
} from '@gw/domain';
import {
  type DeadLetter,
  deadLetter,
  headerText,
  type InboundBatch,
  type InboundMessage,
  isolateFailures,
  KafkaPublisher,
  storeFailedLetters,
} from '@gw/messaging';
import {
  type BatchContext,
  type DecidedReading,
  ReadingRepository,
  refreshContext,
  type Transaction,
  TransactionRunner,
  withWaterMeters,
} from '@gw/persistence';
import { counter, histogram, Tracer } from '@gw/platform';
import { isTransientFailure, READING_POLICY } from '@gw/runtime';
import { PROCESSOR_ENV, type ProcessorEnv } from './processor.env';

const decisions = counter(
  'processor_decisions_total',
  'Decisions by status and reason, counted when stored',
  ['status', 'reason'],
);
const deadLettered = counter(
  'processor_dead_lettered_total',
  'Messages sent to the DLQ',
  ['reason'],
  [{ reason: 'UNDECODABLE' }, { reason: 'STORE_FAILED' }],
);
const redecided = counter(
  'processor_redecided_total',
  'Readings decided again in the store transaction because their meter changed after the batch loaded',
);
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
  raw: InboundMessage;
  /** The edge's span from the `traceparent` header; null when it came without a valid one. */
  trace: TraceContext | null;
}

/**
 * Decides a partition batch: decode, load what the batch needs in a few queries, apply the rules
 * in offset order (so several readings of one meter see each other), store in one transaction,
 * then publish outcomes. The transport commits offsets only after this resolves. The store
 * transaction locks the batch's meters as the back office does before it changes one, and decides
 * again the readings of a meter that changed since the load, so an operator's approval and a new
 * reading of the same meter never both end up accepted unaware of each other.
 *
 * A batch whose store fails for a reason that is not transient is split in halves, stored in
 * offset order, until the messages that fail alone are found; they go to the DLQ with
 * STORE_FAILED and the rest are stored and published, so one message never stops the partition.
 * Each part is decided afresh inside its own transaction against what is stored by then (the
 * meter tokens below see what earlier parts stored), so a later reading of a meter is never
 * decided against an earlier one that ended in the DLQ. That costs a re-load only on this rare
 * path; re-deciding the whole remainder after each removal would cost a full batch per bad message.
 */
@Injectable()
export class ProcessSubmissionsUseCase {
  private readonly logger = new Logger(ProcessSubmissionsUseCase.name);

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly readings: ReadingRepository,
    private readonly publisher: KafkaPublisher,
    @Inject(READING_POLICY) private readonly policy: ReadingPolicy,
    @Inject(PROCESSOR_ENV) private readonly env: ProcessorEnv,
    private readonly tracer: Tracer,
  ) {}

  async execute(batch: InboundBatch): Promise<void> {
    const startMs = Date.now();
    const timer = stageSeconds.startTimer({ stage: 'decode' });
    const valid: Decodable[] = [];
    const poison: { message: InboundMessage; error: string }[] = [];
    for (const message of batch.messages) {
      const decoded = decodeSubmission(message.value);
      if (decoded.ok)
        valid.push({
          message: decoded.value,
          raw: message,
          trace: parseTraceparent(headerText(message.headers, TRACEPARENT_HEADER)),
        });
      else poison.push({ message, error: decoded.error });
    }
    timer();
    await this.deadLetter(
      batch,
      poison.map(({ message, error }) => ({ message, error: 'UNDECODABLE', reason: error })),
      'UNDECODABLE',
    );
    if (valid.length === 0) return;

    const context = await this.measure('load', () =>
      this.transactions.runByKey((tx) => this.load(valid, tx)),
    ).catch((error) => {
      if (isTransientFailure(error)) throw error;
      // A value in the batch breaks the load itself (PostgreSQL refuses a NUL character in
      // text, say): each part then loads its own facts, so the halving finds that message too.
      return null;
    });
    const outcomes: OutcomeMessage[] = [];
    const failed = await isolateFailures(
      valid,
      async (group) => {
        outcomes.push(...(await this.store(batch.partition, group, context)));
      },
      isTransientFailure,
    );
    await this.deadLetter(
      batch,
      storeFailedLetters(failed, (item) => item.raw),
      'STORE_FAILED',
    );
    // Each traced submission's decision is a span of its trace; the outcome carries it on.
    const spans = new Map(
      valid.flatMap((v) =>
        v.trace ? [[v.message.submissionId, childSpan(v.trace)] as const] : [],
      ),
    );
    await this.measure('publish', () =>
      this.publisher.publish(
        TOPICS.outcomes,
        outcomes.map((o) => ({
          key: o.accountNumber,
          value: JSON.stringify(o),
          // Which processor group decided: tells deployments sharing a broker apart.
          headers: {
            [DECIDED_BY_HEADER]: this.env.PROCESSOR_GROUP_ID,
            ...traceHeaders(spans.get(o.submissionId)),
          },
        })),
      ),
    );
    this.logger.log({
      msg: 'batch decided',
      topic: batch.topic,
      partition: batch.partition,
      decided: outcomes.length,
      deadLettered: poison.length + failed.length,
      traceIds: unique(valid.flatMap((v) => (v.trace ? [v.trace.traceId] : []))),
    });
    this.recordSpans(batch, valid, spans, outcomes, startMs);
  }

  /**
   * Decides and stores a group in one transaction and returns its outcomes as stored. The
   * group's meters (those on their readings' accounts, see `onItsAccount`) are locked first, the
   * way the back office locks a meter before it changes its accepted readings; a meter whose token
   * moved since `context` was loaded (an operator's approval, a revalidation, an earlier part of
   * this batch, another processor) has its facts loaded again under the lock and its readings
   * decided against them. Without a context (the
   * batch could not be loaded as a whole) the group loads all its facts under the lock.
   * Decisions, redeliveries and re-decisions are counted once the group is stored, since a group
   * that fails is decided again in its halves. A decision counts in the transaction that stored
   * it, so once however often its outcome is published (a redelivery, a batch retried after its
   * outcomes failed to publish); one that another processor stored first counts there.
   */
  private async store(
    partition: number,
    group: Decodable[],
    context: BatchContext | null,
  ): Promise<OutcomeMessage[]> {
    // Decided before the transaction opens, so the meters stay locked only for the statements;
    // the transaction decides again only when a meter changed since the load.
    const early =
      context && (await this.measure('decide', () => this.decide(partition, group, context)));
    const { fresh, outcomes, seen, changed, written } = await this.transactions.runByKey(
      async (tx) => {
        const { facts, changed } = await this.measure('lock', () =>
          this.currentFacts(tx, group, context),
        );
        const decided = await this.decideGroup(
          tx,
          partition,
          group,
          facts,
          early && facts === context ? early : null,
        );
        const written = await this.measure('store', () =>
          this.readings.insertDecisions(tx, decided.fresh),
        );
        return { ...decided, changed, written };
      },
    );
    redelivered.inc(seen);
    redecided.inc(changed);
    for (const { message, decision } of fresh) {
      if (!written.has(message.submissionId)) continue;
      for (const reason of decision.reasons.length > 0 ? decision.reasons : ['none'])
        decisions.inc({ status: decision.status, reason });
    }
    const raced = fresh
      .filter((r) => !written.has(r.message.submissionId))
      .map((r) => r.message.submissionId);
    return raced.length === 0 ? outcomes : this.replaceRaced(outcomes, raced);
  }

  /**
   * Decides the group against `facts` (or takes `decided`, made against the same facts before the
   * transaction opened). When a water reading comes out too low or too high for its
   * meter, the water meters of its account are loaded (one set-based load for all such accounts of
   * the group) and the group is decided again, so the swapped-water rule sees them: most groups
   * have none and load nothing more. The other meters are not locked; a change to one of them can
   * only move a reading between review and rejection, never accept it.
   */
  private async decideGroup(
    tx: Transaction,
    partition: number,
    group: Decodable[],
    facts: BatchContext,
    decided: ReturnType<ProcessSubmissionsUseCase['decide']> | null,
  ): Promise<ReturnType<ProcessSubmissionsUseCase['decide']>> {
    const first =
      decided ?? (await this.measure('decide', () => this.decide(partition, group, facts)));
    const accounts = unique(
      first.fresh
        .filter(
          (r) =>
            mayBeSwapped(r.decision, facts.meters.get(r.message.meterSerial)) &&
            !facts.waterMeters.has(r.message.accountNumber),
        )
        .map((r) => r.message.accountNumber),
    );
    if (accounts.length === 0) return first;
    const water = await this.measure('load', () => this.readings.loadWaterMeters(accounts, tx));
    // Only those accounts' readings can decide differently: a decision depends on its own
    // account's meters, and a reading of a meter on another account is rejected either way.
    const affected = new Set(accounts);
    const ofAffected = (v: Decodable) => affected.has(v.message.accountNumber);
    const again = await this.measure('decide', () =>
      this.decide(partition, group.filter(ofAffected), withWaterMeters(facts, water)),
    );
    let next = 0;
    const fresh = [
      ...first.fresh.filter((r) => !affected.has(r.message.accountNumber)),
      ...again.fresh,
    ];
    return {
      fresh,
      outcomes: group.map((v, i) => (ofAffected(v) ? again.outcomes[next++] : first.outcomes[i])),
      seen: group.length - fresh.length,
    };
  }

  private load(group: Decodable[], tx: Transaction): Promise<BatchContext> {
    return this.readings.loadContext(
      unique(group.map((v) => v.message.submissionId)),
      unique(group.map((v) => v.message.accountNumber)),
      unique(group.map((v) => v.message.meterSerial)),
      tx,
    );
  }

  /** The facts to decide `group` against, and how many of its readings had their meter change. */
  private async currentFacts(
    tx: Transaction,
    group: Decodable[],
    context: BatchContext | null,
  ): Promise<{ facts: BatchContext; changed: number }> {
    if (context === null) {
      await this.readings.lockMeters(tx, unique(group.map((v) => v.message.meterSerial)));
      return { facts: await this.load(group, tx), changed: 0 };
    }
    const serials = unique(
      group.filter((v) => onItsAccount(context, v.message)).map((v) => v.message.meterSerial),
    );
    const current = await this.readings.lockMeters(tx, serials);
    const changed = serials.filter((s) => current.get(s) !== context.meterStates.get(s));
    if (changed.length === 0) return { facts: context, changed: 0 };
    const stale = new Set(changed);
    const affected = group.filter((v) => stale.has(v.message.meterSerial));
    const facts = refreshContext(context, await this.load(affected, tx), changed);
    return { facts, changed: affected.length };
  }

  /** One consumer span per traced submission, from the batch's start to its outcome's publication. */
  private recordSpans(
    batch: InboundBatch,
    valid: Decodable[],
    spans: Map<string, TraceContext>,
    outcomes: OutcomeMessage[],
    startMs: number,
  ): void {
    if (!this.tracer.enabled) return;
    const endMs = Date.now();
    const decided = new Map(outcomes.map((o) => [o.submissionId, o.status]));
    for (const { message, raw, trace } of valid) {
      const span = spans.get(message.submissionId);
      if (!trace || !span) continue;
      const status = decided.get(message.submissionId);
      this.tracer.record({
        span,
        parentSpanId: trace.spanId,
        name: 'decide submission',
        kind: 'consumer',
        startMs,
        endMs,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.destination.name': batch.topic,
          'messaging.destination.partition.id': String(batch.partition),
          'messaging.kafka.offset': Number(raw.offset),
          'submission.id': message.submissionId,
          'submission.channel': message.channel,
          ...(status ? { 'outcome.status': status } : {}),
        },
        ...(status ? {} : { error: 'dead-lettered: STORE_FAILED' }),
      });
    }
  }

  private async deadLetter(
    batch: InboundBatch,
    letters: DeadLetter[],
    reason: 'UNDECODABLE' | 'STORE_FAILED',
  ): Promise<void> {
    await deadLetter(this.publisher, TOPICS.submittedDlq, batch, letters, {
      [DECIDED_BY_HEADER]: this.env.PROCESSOR_GROUP_ID,
    });
    deadLettered.inc({ reason }, letters.length);
  }

  private decide(partition: number, valid: Decodable[], context: BatchContext) {
    const states = new Map<string, MeterState>();
    const known = new Map(
      [...context.stored].map(([submissionId, stored]) => [submissionId, readingOutcome(stored)]),
    );
    const fresh: DecidedReading[] = [];
    const outcomes: OutcomeMessage[] = [];
    let seen = 0;
    for (const { message, raw, trace } of valid) {
      const previous = known.get(message.submissionId);
      if (previous) {
        seen += 1;
        outcomes.push(previous);
        continue;
      }
      const input = submissionInput(message);
      const facts = readingFacts(context, message.accountNumber, message.meterSerial, states);
      const decision = decideReading(input, facts, this.policy);
      if (decision.status === 'accepted')
        states.set(message.meterSerial, afterAccepted(facts.state, input.readAt, decision));
      const decidedAt = new Date();
      const outcome = readingOutcome({
        submissionId: message.submissionId,
        status: decision.status,
        reasons: decision.reasons,
        warnings: decision.warnings,
        accountNumber: message.accountNumber,
        meterSerial: message.meterSerial,
        billingPeriod: decision.billingPeriod,
        consumption: decision.consumption,
        decidedAt,
      });
      known.set(message.submissionId, outcome);
      fresh.push({
        message,
        decision,
        decidedAt,
        partition,
        offset: raw.offset,
        traceId: trace?.traceId ?? null,
      });
      outcomes.push(outcome);
    }
    return { fresh, outcomes, seen };
  }

  /** Another processor stored some of these first (a rebalance race): publish what it stored. */
  private async replaceRaced(
    outcomes: OutcomeMessage[],
    raced: string[],
  ): Promise<OutcomeMessage[]> {
    const stored = new Map(
      (await this.readings.findMany(raced)).map((r) => [r.submissionId, readingOutcome(r)]),
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

/**
 * Whether the meter of `message`, as `context` has it, is registered to the message's account. A
 * reading of an unknown account, or of a meter on another account, is rejected whatever that
 * meter's readings are and changes none of them, so its meter is neither locked nor checked: it
 * would only make partitions wait on each other (the meter's own readings come through another
 * account's partition).
 */
function onItsAccount(context: BatchContext, message: SubmissionMessage): boolean {
  return (
    context.accounts.has(message.accountNumber) &&
    context.meters.get(message.meterSerial)?.accountNumber === message.accountNumber
  );
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
