import type { INestApplication } from '@nestjs/common';
import { type OutcomeMessage, type SubmissionMessage, TOPICS } from '@gw/contracts';
import type { OperatorRole } from '@gw/persistence';
import { CredentialRepository } from '../../apps/ctl/src/persistence/credential.repository';
import { generateSecret, hashPassword } from '@gw/platform';
import type { Kafka, Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import {
  csrfToken,
  readCookie,
  sessionCookieName,
} from '../../apps/backoffice-api/src/web/web-session';
import {
  registryRecord,
  seedMeters,
  submission,
  uniqueAccount,
  uniqueSerial,
} from '../support/factories';
import { eventually, testDatabase, testGroup, testKafka, TopicTap } from '../support/infra';
import { startProcessor } from '../support/processor';
import { login, startBackoffice, submitSignInForm } from './backoffice-app';

/** The header our back office stamps on its outcomes, so this run's TopicTap keeps them. */
export const DECIDED_BY = testGroup('backoffice-api');

/**
 * Real Kafka, PostgreSQL, reading-processor and backoffice-api, with a tap on the outcomes topic:
 * readings reach the review queue the way they do in production, through the processor.
 */
export class ReviewStack {
  kafka!: Kafka;
  producer!: Producer;
  db!: DataSource;
  processor!: INestApplication;
  app!: INestApplication;
  outcomes!: TopicTap;

  static async start(env: Record<string, string> = {}): Promise<ReviewStack> {
    const stack = new ReviewStack();
    stack.kafka = testKafka();
    stack.producer = stack.kafka.producer({ idempotent: true });
    await stack.producer.connect();
    stack.db = await testDatabase();
    stack.outcomes = await TopicTap.open(stack.kafka, TOPICS.outcomes);
    stack.processor = await startProcessor();
    stack.app = await startBackoffice({ BACKOFFICE_DECIDED_BY: DECIDED_BY, ...env });
    return stack;
  }

  async stop(): Promise<void> {
    await this.app?.close();
    await this.processor?.close();
    await this.outcomes?.close();
    await this.producer?.disconnect();
    await this.db?.destroy();
  }

  http() {
    return request(this.app.getHttpServer());
  }

  /** A new operator with `role`, as `ctl operator add` stores one (unique across the run's files). */
  async credentials(role: OperatorRole): Promise<{ login: string; password: string }> {
    const credentials = {
      login: `op-${process.env.E2E_RUN_ID}-${randomUUID().slice(0, 8)}`,
      password: generateSecret(),
    };
    await new CredentialRepository(this.db).saveOperator(
      credentials.login,
      await hashPassword(credentials.password),
      role,
    );
    return credentials;
  }

  /** A signed-in operator with `role`: login and token. */
  async operator(role: OperatorRole): Promise<{ login: string; token: string }> {
    const credentials = await this.credentials(role);
    return { login: credentials.login, token: await login(this.app, credentials) };
  }

  async publish(messages: SubmissionMessage[]): Promise<void> {
    await this.producer.send({
      topic: TOPICS.submitted,
      acks: -1,
      messages: messages.map((m) => ({ key: m.accountNumber, value: JSON.stringify(m) })),
    });
  }

  /** Waits until the processor has stored these submissions; returns their statuses by id. */
  async decided(ids: string[]): Promise<Map<string, string>> {
    const rows = await eventually(
      () =>
        this.db.query(`SELECT submission_id, status FROM readings WHERE submission_id = ANY ($1)`, [
          ids,
        ]) as Promise<{ submission_id: string; status: string }[]>,
      (found) => found.length === ids.length,
    );
    return new Map(rows.map((r) => [r.submission_id, r.status]));
  }

  /** Outcomes on Kafka for one submission, in the order they were published. */
  async outcomesOf(submissionId: string, count: number): Promise<OutcomeMessage[]> {
    return this.outcomes.waitFor<OutcomeMessage>(
      (all) => all.filter((o) => o.submissionId === submissionId),
      count,
    );
  }

  /**
   * A new account with one cold-water meter at 300 m³ and one hot-water meter at 150 m³, both
   * installed (and their initial values read) on `installedOn`; `coldVerifiedOn` dates the cold
   * meter's only verification (24 months).
   */
  async waterAccount(
    installedOn: string,
    coldVerifiedOn = installedOn,
  ): Promise<{ account: string; cold: string; hot: string }> {
    const account = uniqueAccount();
    const meter = (resource: string, initial: string, verifiedOn = installedOn) =>
      registryRecord({
        account_number: account,
        serial: uniqueSerial('W'),
        resource,
        installed_on: verifiedOn,
        verified_on: verifiedOn,
        verification_interval_months: '24',
        initial_t1: initial,
        initial_on: installedOn,
      });
    const [cold, hot] = await seedMeters(this.db, [
      meter('cold_water', '00300.000', coldVerifiedOn),
      meter('hot_water', '00150.000'),
    ]);
    return { account, cold: cold.serial, hot: hot.serial };
  }

  /**
   * Readings that the processor sends to review: a consumption spike (800 m³ in a month on a
   * cold-water meter starting at 100) or, for slips, a low OCR confidence.
   */
  async inReview(
    kinds: ('spike' | 'low-confidence')[],
    overrides: Partial<SubmissionMessage> = {},
  ): Promise<SubmissionMessage[]> {
    const meters = await seedMeters(
      this.db,
      kinds.map(() => registryRecord()),
    );
    const messages = kinds.map((kind, i) =>
      submission({
        accountNumber: meters[i].accountNumber,
        meterSerial: meters[i].serial,
        ...(kind === 'spike'
          ? { values: [{ zone: 'T1', value: '00900.000' }] }
          : {
              channel: 'paper-slip',
              values: [{ zone: 'T1', value: '00110.500' }],
              confidence: 0.62,
            }),
        ...overrides,
      }),
    );
    return this.publishedToReview(messages);
  }

  /** `count` consumption spikes in review, on meters of one new account (for paging and search). */
  async inReviewOnOneAccount(count: number): Promise<SubmissionMessage[]> {
    const account = uniqueAccount();
    const meters = await seedMeters(
      this.db,
      Array.from({ length: count }, () => registryRecord({ account_number: account })),
    );
    return this.publishedToReview(
      meters.map((m) =>
        submission({
          accountNumber: account,
          meterSerial: m.serial,
          values: [{ zone: 'T1', value: '00900.000' }],
        }),
      ),
    );
  }

  private async publishedToReview(messages: SubmissionMessage[]): Promise<SubmissionMessage[]> {
    await this.publish(messages);
    const statuses = await this.decided(messages.map((m) => m.submissionId));
    for (const m of messages) {
      if (statuses.get(m.submissionId) !== 'needs_review')
        throw new Error(
          `expected ${m.submissionId} in review, got ${statuses.get(m.submissionId)}`,
        );
    }
    return messages;
  }

  /** A signed-in web session of a new operator with `role`: its cookie and form token. */
  async webSession(
    role: OperatorRole,
  ): Promise<{ login: string; cookie: string; csrf: string; token: string }> {
    const credentials = await this.credentials(role);
    const res = await submitSignInForm(this.app, credentials);
    expect(res.status).toBe(303);
    const cookie = String(res.headers['set-cookie']).split(';')[0];
    const token = readCookie(cookie, sessionCookieName(false)) as string;
    return { login: credentials.login, cookie, csrf: csrfToken(token), token };
  }
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
