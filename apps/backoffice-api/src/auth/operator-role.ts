import type { OperatorRole } from '@gw/persistence';

/** Each role can do everything the roles below it can: operator < supervisor < admin. */
const RANK: Record<OperatorRole, number> = { operator: 1, supervisor: 2, admin: 3 };

export function isOperatorRole(value: unknown): value is OperatorRole {
  return typeof value === 'string' && Object.hasOwn(RANK, value);
}

export function hasRole(actual: OperatorRole, required: OperatorRole): boolean {
  return RANK[actual] >= RANK[required];
}
