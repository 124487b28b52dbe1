/** A check that explains itself in the readiness body, e.g. which partition is stalled. */
export interface HealthReport {
  up: boolean;
  detail: unknown;
}

/** A dependency an app needs to do its work; `ready` is true only when every check passes. */
export interface HealthIndicator {
  readonly name: string;
  check(): Promise<boolean | HealthReport>;
}

export const HEALTH_INDICATORS = Symbol('HEALTH_INDICATORS');
