/** A dependency an app needs to do its work; `ready` is true only when every check passes. */
export interface HealthIndicator {
  readonly name: string;
  check(): Promise<boolean>;
}

export const HEALTH_INDICATORS = Symbol('HEALTH_INDICATORS');
