import { SetMetadata } from '@nestjs/common';

/** A dependency an app needs to do its work; `ready` is true only when every check passes. */
export interface HealthIndicator {
  readonly name: string;
  check(): Promise<boolean>;
}

export const HEALTH_INDICATORS = Symbol('HEALTH_INDICATORS');

/**
 * Marks a controller that answers without Kafka or PostgreSQL (health, metrics), so guards that
 * refuse requests while a dependency is not connected yet let it through.
 */
export const DEPENDENCY_FREE = 'gw:dependency-free';
export const DependencyFree = () => SetMetadata(DEPENDENCY_FREE, true);
