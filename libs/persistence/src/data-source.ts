import { DEFAULT_DATABASE_TIMEOUTS, type DatabaseTimeouts, type DatabaseTls } from '@gw/platform';
import type { ConnectionOptions as TlsOptions } from 'node:tls';
import { DataSource, type DataSourceOptions, type MigrationInterface } from 'typeorm';
import { Cabinet1764300000000 } from './migrations/1764300000000-cabinet';
import { InitialSchema1764072000000 } from './migrations/1764072000000-initial-schema';
import { Kiosks1764100000000 } from './migrations/1764100000000-kiosks';
import { TerminalGateway1764200000000 } from './migrations/1764200000000-terminal-gateway';
import { SlipBatches1764400000000 } from './migrations/1764400000000-slip-batches';
import { MosenergosbytFeed1764500000000 } from './migrations/1764500000000-mosenergosbyt-feed';
import { BackOffice1764600000000 } from './migrations/1764600000000-back-office';
import { OperatorSessions1764700000000 } from './migrations/1764700000000-operator-sessions';
import { ReadingTraceId1764810000000 } from './migrations/1764810000000-reading-trace-id';
import { RateLimits1764850000000 } from './migrations/1764850000000-rate-limits';
import { CredentialDisable1764910000000 } from './migrations/1764910000000-credential-disable';
import { SessionRevocation1764920000000 } from './migrations/1764920000000-session-revocation';
import { DlqReplays1764930000000 } from './migrations/1764930000000-dlq-replays';
import { AccountLinkRevocation1764950000000 } from './migrations/1764950000000-account-link-revocation';
import { TerminalWithoutAllowList1764960000000 } from './migrations/1764960000000-terminal-without-allow-list';
import { ArshinVerifications1765010000000 } from './migrations/1765010000000-arshin-verifications';
import { RemindersAndEstimates1765020000000 } from './migrations/1765020000000-reminders-and-estimates';
import { ReviewSwappedMeter1765030000000 } from './migrations/1765030000000-review-swapped-meter';
import { SlipImages1765040000000 } from './migrations/1765040000000-slip-images';
import { SupersedeEstimatesPerStatement1765090000000 } from './migrations/1765090000000-supersede-estimates-per-statement';
import { MeterAcceptedVersion1765100000000 } from './migrations/1765100000000-meter-accepted-version';
import { ExactConfidence1765110000000 } from './migrations/1765110000000-exact-confidence';
import { ReinstateEstimates1765120000000 } from './migrations/1765120000000-reinstate-estimates';
import { OperatorLoginsIgnoreCase1765130000000 } from './migrations/1765130000000-operator-logins-ignore-case';
import { AuditLogLoginIgnoreCase1765140000000 } from './migrations/1765140000000-audit-log-login-ignore-case';
import { PartnerOutboundPending1765150000000 } from './migrations/1765150000000-partner-outbound-pending';
import { EstimateMessagesInOrder1765160000000 } from './migrations/1765160000000-estimate-messages-in-order';
import { CabinetSubmissionKeys1765175000000 } from './migrations/1765175000000-cabinet-submission-keys';
import { PartnerMessageIds1765183700000 } from './migrations/1765183700000-partner-message-ids';
import { PartnerPendingReleaseMarks1765186400000 } from './migrations/1765186400000-partner-pending-release-marks';
import { PartnerPendingReleaseOrder1765190000000 } from './migrations/1765190000000-partner-pending-release-order';
import { AuditLogAction1765200000000 } from './migrations/1765200000000-audit-log-action';
import { ArshinLookups1765210000000 } from './migrations/1765210000000-arshin-lookups';

export const MIGRATIONS = [
  InitialSchema1764072000000,
  Kiosks1764100000000,
  TerminalGateway1764200000000,
  Cabinet1764300000000,
  SlipBatches1764400000000,
  MosenergosbytFeed1764500000000,
  BackOffice1764600000000,
  OperatorSessions1764700000000,
  ReadingTraceId1764810000000,
  RateLimits1764850000000,
  CredentialDisable1764910000000,
  SessionRevocation1764920000000,
  DlqReplays1764930000000,
  AccountLinkRevocation1764950000000,
  TerminalWithoutAllowList1764960000000,
  ArshinVerifications1765010000000,
  RemindersAndEstimates1765020000000,
  ReviewSwappedMeter1765030000000,
  SlipImages1765040000000,
  SupersedeEstimatesPerStatement1765090000000,
  MeterAcceptedVersion1765100000000,
  ExactConfidence1765110000000,
  ReinstateEstimates1765120000000,
  OperatorLoginsIgnoreCase1765130000000,
  AuditLogLoginIgnoreCase1765140000000,
  PartnerOutboundPending1765150000000,
  EstimateMessagesInOrder1765160000000,
  CabinetSubmissionKeys1765175000000,
  PartnerMessageIds1765183700000,
  PartnerPendingReleaseMarks1765186400000,
  PartnerPendingReleaseOrder1765190000000,
  AuditLogAction1765200000000,
  ArshinLookups1765210000000,
];

export interface ConnectionOptions {
  /**
   * Commits return before their WAL is on disk (`synchronous_commit = off`): a crash of the
   * database server can lose the last fraction of a second of them, never corrupt anything. Only
   * for an app whose every write may be lost that way.
   */
  asynchronousCommit?: boolean;
  timeouts?: DatabaseTimeouts;
  /** TLS as `DATABASE_SSL_MODE` describes it (`databaseTls(env)`); null or absent: none. */
  tls?: DatabaseTls | null;
}

/**
 * node-postgres' `ssl` for a libpq `sslmode`: `require` encrypts without checking the server's
 * certificate, `verify-ca` checks that a trusted CA signed it, `verify-full` also that it names
 * the host connected to.
 */
export function poolTls({ mode, ...material }: DatabaseTls): TlsOptions {
  switch (mode) {
    case 'require':
      return { ...material, rejectUnauthorized: false };
    case 'verify-ca':
      return { ...material, rejectUnauthorized: true, checkServerIdentity: () => undefined };
    case 'verify-full':
      return { ...material, rejectUnauthorized: true };
  }
}

/**
 * A server-side timeout cannot fire on a server that is frozen (stopped, swapped out, its network
 * gone quiet), so the client gives up on its own a little after the server would have.
 */
export const CLIENT_QUERY_TIMEOUT_MARGIN_MS = 2000;

/** node-postgres settings for the timeouts; 0 leaves a limit off, as PostgreSQL itself does. */
export function poolTimeouts({
  connectMs,
  statementMs,
  lockMs,
  idleInTransactionMs,
}: DatabaseTimeouts): Record<string, number | undefined> {
  return {
    connectionTimeoutMillis: connectMs,
    statement_timeout: statementMs,
    lock_timeout: lockMs,
    idle_in_transaction_session_timeout: idleInTransactionMs,
    query_timeout: statementMs > 0 ? statementMs + CLIENT_QUERY_TIMEOUT_MARGIN_MS : undefined,
  };
}

/** Migrations may rewrite large tables and wait for other instances' migrations: no limits but the connect one. */
const MIGRATION_TIMEOUTS: DatabaseTimeouts = {
  ...DEFAULT_DATABASE_TIMEOUTS,
  statementMs: 0,
  lockMs: 0,
  idleInTransactionMs: 0,
};

/**
 * The one description of the database: migrations only, never `synchronize`, and no entities:
 * repositories write SQL and map its rows themselves.
 */
export function dataSourceOptions(
  url: string,
  poolSize = 10,
  { asynchronousCommit = false, timeouts = DEFAULT_DATABASE_TIMEOUTS, tls }: ConnectionOptions = {},
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'all',
    synchronize: false,
    migrationsRun: false,
    extra: {
      max: poolSize,
      application_name: 'meter-gateway',
      ...poolTimeouts(timeouts),
      ...(tls ? { ssl: poolTls(tls) } : {}),
      ...(asynchronousCommit ? { options: '-c synchronous_commit=off' } : {}),
    },
  };
}

/** A migration that failed, by name, with what it threw as the cause. */
class MigrationFailedError extends Error {
  constructor(
    readonly migration: string,
    cause: unknown,
  ) {
    super(`migration ${migration} failed: ${(cause as Error)?.message ?? String(cause)}`, {
      cause,
    });
    this.name = MigrationFailedError.name;
  }
}

/** Each migration's failure names it: TypeORM names it only in its own log. */
function nameFailures(migrations: readonly MigrationInterface[]): void {
  for (const migration of migrations) {
    const up = migration.up.bind(migration);
    const name = migration.name ?? migration.constructor.name;
    migration.up = (runner) =>
      up(runner).catch((error: unknown) => {
        throw new MigrationFailedError(name, error);
      });
  }
}

/**
 * Applies pending migrations; safe to call from several processes at once (advisory lock). A
 * failed migration is the error thrown, naming it: TypeORM's own line on it would go to stdout,
 * which is `ctl db migrate`'s JSON alone, so its lines go to `debug` (stderr, with
 * `DEBUG=typeorm:*`).
 */
export async function migrate(url: string, tls: DatabaseTls | null = null): Promise<string[]> {
  const dataSource = await new DataSource({
    ...dataSourceOptions(url, 1, { timeouts: MIGRATION_TIMEOUTS, tls }),
    logger: 'debug',
  }).initialize();
  nameFailures(dataSource.migrations);
  try {
    await dataSource.query('SELECT pg_advisory_lock(727274)');
    const applied = await dataSource.runMigrations();
    return applied.map((m) => m.name);
  } finally {
    await dataSource.query('SELECT pg_advisory_unlock(727274)').catch(() => undefined);
    await dataSource.destroy();
  }
}
