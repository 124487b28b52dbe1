import { Slots } from './slots';

describe('Slots', () => {
  it('runs at most its size at once, the rest in order of asking, and frees a slot on failure', async () => {
    const slots = new Slots(2);
    const started: number[] = [];
    const finish: (() => void)[] = [];
    const runs = [0, 1, 2, 3].map((n) =>
      slots.run(async () => {
        started.push(n);
        await new Promise<void>((resolve) => (finish[n] = resolve));
        if (n === 0) throw new Error('failed');
        return n;
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1]);
    expect(slots.full).toBe(true);
    expect(slots.queued).toBe(2);
    finish[0]();
    await expect(runs[0]).rejects.toThrow('failed');
    expect(started).toEqual([0, 1, 2]);
    finish[1]();
    finish[2]();
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2, 3]);
    finish[3]();
    await expect(Promise.all(runs.slice(1))).resolves.toEqual([1, 2, 3]);
    expect(slots.full).toBe(false);
    expect(slots.queued).toBe(0);
  });
});
