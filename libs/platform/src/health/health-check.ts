import { SetMetadata } from '@nestjs/common';

/** A check that explains itself in the readiness body, e.g. which partition is stalled. */
export interface HealthReport {
  up: boolean;
  detail: unknown;
}

/** Up or down, or a report that explains itself in the readiness body. */
export type HealthCheckResult = boolean | HealthReport;

/** A dependency an app needs to do its work; `ready` is true only when every check passes. */
export interface HealthIndicator {
  readonly name: string;
  check(): Promise<HealthCheckResult>;
}

export const HEALTH_INDICATORS = Symbol('HEALTH_INDICATORS');

/**
 * Marks a controller that answers without Kafka or PostgreSQL (health, metrics), so guards that
 * refuse requests while a dependency is not connected yet let it through.
 */
export const DEPENDENCY_FREE = 'gw:dependency-free';
export const DependencyFree = () => SetMetadata(DEPENDENCY_FREE, true);
