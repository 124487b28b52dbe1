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
  constructor(readonly reason: string) {
    super('BROKER_UNAVAILABLE', `message broker unavailable: ${reason}`);
  }
}
