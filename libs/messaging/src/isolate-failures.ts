export interface IsolatedFailure<T> {
  item: T;
  error: unknown;
}

/**
 * Hands `items` to `attempt` as one group and, when that fails for a reason `isTransient` does not
 * accept, halves the group and tries each half in turn, earlier half first, down to the single
 * items that fail on their own. Every group that succeeded is done; the failures are returned in
 * item order. k bad items out of n cost at most 1 + 2·k·⌈log2 n⌉ attempts, and one attempt when
 * none is bad. A transient failure is thrown as it is: nothing is wrong with the items then, and
 * the groups that already succeeded must be idempotent when the whole is tried again.
 */
export async function isolateFailures<T>(
  items: T[],
  attempt: (group: T[]) => Promise<void>,
  isTransient: (error: unknown) => boolean,
): Promise<IsolatedFailure<T>[]> {
  if (items.length === 0) return [];
  try {
    await attempt(items);
    return [];
  } catch (error) {
    if (isTransient(error)) throw error;
    if (items.length === 1) return [{ item: items[0], error }];
  }
  const middle = Math.ceil(items.length / 2);
  const earlier = await isolateFailures(items.slice(0, middle), attempt, isTransient);
  const later = await isolateFailures(items.slice(middle), attempt, isTransient);
  return [...earlier, ...later];
}
