import { RepeatingTask } from './repeating-task';

describe('RepeatingTask', () => {
  afterEach(() => jest.useRealTimers());

  it('runs on every tick of its timer, and a failed run is reported, not thrown', async () => {
    jest.useFakeTimers();
    const errors: string[] = [];
    let runs = 0;
    const task = new RepeatingTask(
      async () => {
        runs += 1;
        if (runs === 2) throw new Error('second run failed');
      },
      (error) => errors.push(error.message),
    );
    task.start(1000);
    await jest.advanceTimersByTimeAsync(3000);
    expect(runs).toBe(3);
    expect(errors).toEqual(['second run failed']);
    await task.stop();
    await jest.advanceTimersByTimeAsync(3000);
    expect(runs).toBe(3);
  });

  it('never runs twice at once: a call during a run joins it', async () => {
    let release: () => void = () => undefined;
    let runs = 0;
    const task = new RepeatingTask(
      () => {
        runs += 1;
        return new Promise<void>((resolve) => (release = resolve));
      },
      () => undefined,
    );
    const first = task.runNow();
    const second = task.runNow();
    expect(second).toBe(first);
    release();
    await first;
    expect(runs).toBe(1);
    const next = task.runNow();
    expect(next).not.toBe(first);
    release();
    await next;
    expect(runs).toBe(2);
  });

  it('with runFirst, runs once right away and then on every tick', async () => {
    jest.useFakeTimers();
    let runs = 0;
    const task = new RepeatingTask(
      async () => {
        runs += 1;
      },
      () => undefined,
    );
    task.start(1000, true);
    await jest.advanceTimersByTimeAsync(0);
    expect(runs).toBe(1);
    await jest.advanceTimersByTimeAsync(2000);
    expect(runs).toBe(3);
    await task.stop();
  });
});
