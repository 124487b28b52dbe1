import type { DataSource } from 'typeorm';
import { type Transaction, TransactionRunner } from './transaction';

/** A runner whose transactions only count themselves: the retry loop is what is under test. */
function runner(): { transactions: TransactionRunner; opened: () => number } {
  let opened = 0;
  const db = {
    transaction: (work: (tx: unknown) => Promise<unknown>) => {
      opened += 1;
      return work({});
    },
  } as unknown as DataSource;
  return { transactions: new TransactionRunner(db), opened: () => opened };
}

describe('TransactionRunner.decideThenWrite', () => {
  it('writes what was decided when nothing changed in between', async () => {
    const { transactions, opened } = runner();
    const written = await transactions.decideThenWrite(
      async () => 'decided',
      async (_tx: Transaction, decided) => `${decided} and written`,
    );
    expect(written).toBe('decided and written');
    expect(opened()).toBe(1);
  });

  it('decides again after a change, each attempt with its own decision', async () => {
    const { transactions } = runner();
    let decisions = 0;
    const seen: number[] = [];
    const written = await transactions.decideThenWrite(
      async () => (decisions += 1),
      async (_tx, decided) => {
        seen.push(decided);
        return decided < 3 ? null : decided;
      },
    );
    expect(written).toBe(3);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('answers null once every attempt found a change', async () => {
    const { transactions, opened } = runner();
    const write = jest.fn(async () => null);
    expect(await transactions.decideThenWrite(async () => 0, write, 2)).toBeNull();
    expect(write).toHaveBeenCalledTimes(2);
    expect(opened()).toBe(2);
  });

  it('opens no transaction when deciding refuses', async () => {
    const { transactions, opened } = runner();
    const write = jest.fn(async () => 'written');
    await expect(
      transactions.decideThenWrite(async () => {
        throw new Error('refused');
      }, write),
    ).rejects.toThrow('refused');
    expect(write).not.toHaveBeenCalled();
    expect(opened()).toBe(0);
  });
});
