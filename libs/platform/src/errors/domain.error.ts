/**
 * A failure the caller can act on, with a stable code. Each edge maps codes to its own transport
 * (HTTP status, OSMP result, CLI line) in one place.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Kafka could not take a message within the time limit: the client should retry later. */
export class BrokerUnavailableError extends DomainError {
  declare readonly code: 'BROKER_UNAVAILABLE';

  constructor(readonly reason: string) {
    super('BROKER_UNAVAILABLE', `message broker unavailable: ${reason}`);
  }
}

/** PostgreSQL cannot answer now (unreachable, frozen, overloaded): the client should retry later. */
export class DatabaseUnavailableError extends DomainError {
  declare readonly code: 'DATABASE_UNAVAILABLE';

  constructor(readonly reason: string) {
    super('DATABASE_UNAVAILABLE', `database unavailable: ${reason}`);
  }
}

/** What a client is told to wait before retrying after an outage of Kafka or PostgreSQL. */
export const OUTAGE_RETRY_AFTER_SECONDS = 5;

/**
 * Recognises errors of a dependency that is out (such as a broken database connection) which do
 * not arrive as one of the classes above. PersistenceModule provides it, so the platform's
 * filter can tell an outage from a bug without importing the database layer.
 */
export const DEPENDENCY_OUTAGE = Symbol('DEPENDENCY_OUTAGE');
export type DependencyOutageCheck = (error: unknown) => boolean;
