import { isolateFailures } from './isolate-failures';

class Transient extends Error {}

/** An attempt that fails whenever its group holds a bad item, recording every group it saw. */
function store(bad: Set<number>, transientAt: Set<number> = new Set()) {
  const attempts: number[][] = [];
  const stored: number[] = [];
  const attempt = async (group: number[]) => {
    attempts.push(group);
    if (group.some((n) => transientAt.has(n))) throw new Transient('database unreachable');
    const failing = group.find((n) => bad.has(n));
    if (failing !== undefined) throw new Error(`cannot store ${failing}`);
    stored.push(...group);
  };
  return { attempt, attempts, stored };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const isTransient = (error: unknown) => error instanceof Transient;

describe('isolateFailures', () => {
  it('tries a batch without bad items once, as a whole', async () => {
    const { attempt, attempts, stored } = store(new Set());
    await expect(isolateFailures(range(8), attempt, isTransient)).resolves.toEqual([]);
    expect(attempts).toEqual([range(8)]);
    expect(stored).toEqual(range(8));
  });

  it('does nothing for an empty batch', async () => {
    const { attempt, attempts } = store(new Set());
    await expect(isolateFailures([], attempt, isTransient)).resolves.toEqual([]);
    expect(attempts).toEqual([]);
  });

  it.each([
    ['the first', 8, [0]],
    ['the last', 8, [7]],
    ['a middle one', 9, [4]],
    ['two neighbours', 8, [3, 4]],
    ['three apart', 13, [1, 6, 12]],
    ['all of them', 5, [0, 1, 2, 3, 4]],
    ['the only one', 1, [0]],
  ])('finds %s and stores every other item once, in order', async (_name, n, badItems) => {
    const bad = new Set(badItems);
    const { attempt, stored } = store(bad);
    const failed = await isolateFailures(range(n), attempt, isTransient);
    expect(failed.map((f) => f.item)).toEqual(badItems);
    expect(failed.map((f) => (f.error as Error).message)).toEqual(
      badItems.map((b) => `cannot store ${b}`),
    );
    expect(stored).toEqual(range(n).filter((i) => !bad.has(i)));
  });

  it('tries groups in item order, an earlier half before a later one', async () => {
    const { attempt, attempts } = store(new Set([2]));
    await isolateFailures(range(4), attempt, isTransient);
    expect(attempts).toEqual([[0, 1, 2, 3], [0, 1], [2, 3], [2], [3]]);
  });

  it.each([
    [1024, 1],
    [1024, 3],
    [2000, 5],
  ])('stays within 1 + 2·k·ceil(log2 n) attempts (n = %i, k = %i)', async (n, k) => {
    const bad = new Set(range(k).map((i) => Math.floor(((i + 0.5) * n) / k)));
    const { attempt, attempts } = store(bad);
    await isolateFailures(range(n), attempt, isTransient);
    expect(attempts.length).toBeLessThanOrEqual(1 + 2 * k * Math.ceil(Math.log2(n)));
  });

  it('throws a transient failure as it is, without splitting', async () => {
    const { attempt, attempts } = store(new Set(), new Set([5]));
    await expect(isolateFailures(range(8), attempt, isTransient)).rejects.toBeInstanceOf(Transient);
    expect(attempts).toEqual([range(8)]);
  });

  it('throws a transient failure met while splitting', async () => {
    const { attempt, stored } = store(new Set([1]), new Set([6]));
    const transientLater = async (group: number[]) => {
      // The outage starts after the first split: the whole fails for the bad item, then 6 sees it.
      if (group.length === 8) throw new Error('cannot store 1');
      return attempt(group);
    };
    await expect(isolateFailures(range(8), transientLater, isTransient)).rejects.toBeInstanceOf(
      Transient,
    );
    expect(stored).toEqual([0, 2, 3]);
  });
});
