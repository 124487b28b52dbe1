/** A deadlock (40P01) or a serialization failure (40001): PostgreSQL gave up one transaction. */
const LOCK_CONFLICT_SQLSTATE = new Set(['40P01', '40001']);

/**
 * Whether PostgreSQL rolled a transaction back only because of others running at the same time,
 * so that running it again succeeds. Looks through TypeORM's `driverError` and `cause`.
 */
export function isLockConflict(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  const e = error as { code?: unknown; driverError?: unknown; cause?: unknown };
  if (typeof e.code === 'string' && LOCK_CONFLICT_SQLSTATE.has(e.code)) return true;
  return [e.driverError, e.cause].some((inner) => isLockConflict(inner, depth + 1));
}

/**
 * Runs `work`, a whole transaction, again when PostgreSQL rolls it back for a lock conflict, up to
 * `attempts` times in all, telling `onRetry` each time; any other failure, or the last conflict,
 * is thrown.
 */
export async function retryOnLockConflict<T>(
  work: () => Promise<T>,
  { attempts, onRetry }: { attempts: number; onRetry: (attempt: number, error: unknown) => void },
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isLockConflict(error)) throw error;
      onRetry(attempt, error);
    }
  }
}
