import { isLockConflict, retryOnLockConflict } from './lock-conflict';

const conflict = (code: string) => Object.assign(new Error('conflict'), { code });

describe('isLockConflict', () => {
  it.each([
    ['a deadlock', conflict('40P01')],
    ['a serialization failure', conflict('40001')],
    ["TypeORM's wrapper of a deadlock", { message: 'x', driverError: conflict('40P01') }],
    ['a deadlock as a cause', new Error('import failed', { cause: conflict('40P01') })],
  ])('%s is one', (_name, error) => {
    expect(isLockConflict(error)).toBe(true);
  });

  it.each([
    ['a unique violation', conflict('23505')],
    ['a lock timeout', conflict('55P03')],
    ['a plain error', new Error('40P01')],
    ['not an error', '40P01'],
    ['null', null],
  ])('%s is not', (_name, error) => {
    expect(isLockConflict(error)).toBe(false);
  });
});

describe('retryOnLockConflict', () => {
  it('runs the work again after a conflict and returns what it returns then', async () => {
    const work = jest
      .fn<Promise<string>, []>()
      .mockRejectedValueOnce(conflict('40P01'))
      .mockRejectedValueOnce(conflict('40001'))
      .mockResolvedValueOnce('done');
    const onRetry = jest.fn();
    await expect(retryOnLockConflict(work, { attempts: 3, onRetry })).resolves.toBe('done');
    expect(work).toHaveBeenCalledTimes(3);
    expect(onRetry.mock.calls.map(([attempt]) => attempt)).toEqual([1, 2]);
  });

  it('throws the last conflict once the attempts are used up', async () => {
    const last = conflict('40P01');
    const work = jest
      .fn<Promise<string>, []>()
      .mockRejectedValueOnce(conflict('40P01'))
      .mockRejectedValueOnce(last);
    await expect(retryOnLockConflict(work, { attempts: 2, onRetry: jest.fn() })).rejects.toBe(last);
    expect(work).toHaveBeenCalledTimes(2);
  });

  it('throws any other failure at once', async () => {
    const failure = conflict('23505');
    const work = jest.fn<Promise<string>, []>().mockRejectedValue(failure);
    const onRetry = jest.fn();
    await expect(retryOnLockConflict(work, { attempts: 3, onRetry })).rejects.toBe(failure);
    expect(work).toHaveBeenCalledTimes(1);
    expect(onRetry).not.toHaveBeenCalled();
  });
});
