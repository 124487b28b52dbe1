import { CallBatcher } from './call-batcher';

/** A batch function whose runs finish when the test says so, recording what each run got. */
function controlledRun<O>(answer: (inputs: number[]) => O[]) {
  const runs: number[][] = [];
  const finish: (() => void)[] = [];
  const run = (inputs: number[]) => {
    runs.push(inputs);
    return new Promise<O[]>((resolve) => finish.push(() => resolve(answer(inputs))));
  };
  return { runs, finish, run };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('CallBatcher', () => {
  it('runs a lone call at once', async () => {
    const run = jest.fn(async (inputs: number[]) => inputs.map((n) => n * 10));
    await expect(new CallBatcher(run).call(4)).resolves.toBe(40);
    expect(run).toHaveBeenCalledWith([4]);
  });

  it('gathers the calls made while a batch runs into the next batch, answering each its own', async () => {
    const { runs, finish, run } = controlledRun((inputs) => inputs.map((n) => `#${n}`));
    const batcher = new CallBatcher(run);
    const first = batcher.call(1);
    const rest = [2, 3, 4].map((n) => batcher.call(n));
    await tick();
    expect(runs).toEqual([[1]]);
    finish[0]();
    await expect(first).resolves.toBe('#1');
    await tick();
    expect(runs).toEqual([[1], [2, 3, 4]]);
    finish[1]();
    await expect(Promise.all(rest)).resolves.toEqual(['#2', '#3', '#4']);
  });

  it('splits a backlog into batches of at most maxBatch calls, in call order', async () => {
    const { runs, finish, run } = controlledRun((inputs) => inputs);
    const batcher = new CallBatcher(run, 2);
    const calls = [1, 2, 3, 4, 5].map((n) => batcher.call(n));
    for (let i = 0; i < 3; i += 1) {
      await tick();
      finish[i]();
    }
    await expect(Promise.all(calls)).resolves.toEqual([1, 2, 3, 4, 5]);
    expect(runs).toEqual([[1], [2, 3], [4, 5]]);
  });

  it('fails every call of a failed batch with its error, and goes on with the next', async () => {
    let fail = true;
    const batcher = new CallBatcher(async (inputs: number[]) => {
      if (fail) throw new Error('broker gone');
      return inputs;
    });
    const failed = [batcher.call(1), batcher.call(2)];
    await expect(failed[0]).rejects.toThrow('broker gone');
    await expect(failed[1]).rejects.toThrow('broker gone');
    fail = false;
    await expect(batcher.call(3)).resolves.toBe(3);
  });

  it('fails a batch whose run answers a different number of outputs', async () => {
    const batcher = new CallBatcher(async () => [1, 2]);
    await expect(batcher.call(1)).rejects.toThrow('a batch of 1 calls got 2 answers');
  });
});
