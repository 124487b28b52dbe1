import { DEFAULT_ESTIMATE_POLICY, DEFAULT_WINDOW_POLICY } from '@gw/domain';
import type { EstimateRepository, TransactionRunner } from '@gw/persistence';
import { EstimateRunRefused, RunEstimatesUseCase } from './run-estimates.use-case';

describe('RunEstimatesUseCase', () => {
  const setup = () => {
    const estimates = {
      candidates: jest.fn().mockResolvedValue({ candidates: [], lastSerial: null }),
      insert: jest.fn().mockResolvedValue(new Set()),
    };
    const transactions = {
      exclusively: jest.fn((_key: string, work: () => unknown) => work()),
      run: jest.fn((work: (tx: unknown) => unknown) => work({})),
    };
    const useCase = new RunEstimatesUseCase(
      estimates as unknown as EstimateRepository,
      transactions as unknown as TransactionRunner,
      DEFAULT_WINDOW_POLICY,
      DEFAULT_ESTIMATE_POLICY,
    );
    return { estimates, transactions, useCase };
  };

  it("estimates the resources whose window has closed at contract section 10's example moment, and reports electricity pending", async () => {
    const { estimates, transactions, useCase } = setup();
    const report = await useCase.run('2026-11', new Date('2026-11-26T00:05:00.000+03:00'));
    expect(transactions.exclusively).toHaveBeenCalledWith(
      'estimates 2026-11',
      expect.any(Function),
    );
    expect(estimates.candidates).toHaveBeenCalledWith(
      '2026-11',
      {
        cold_water: '2026-11-25',
        hot_water: '2026-11-25',
        heat: '2026-11-25',
        gas: '2026-11-25',
      },
      '',
      2000,
    );
    expect(report.pending).toEqual([{ resource: 'electricity', closesOn: '2026-11-26' }]);
  });

  it('estimates every resource once all windows have closed', async () => {
    const { estimates, useCase } = setup();
    const report = await useCase.run('2026-11', new Date('2026-11-27T00:00:00.000+03:00'));
    expect(Object.keys(estimates.candidates.mock.calls[0][1]).sort()).toEqual([
      'cold_water',
      'electricity',
      'gas',
      'heat',
      'hot_water',
    ]);
    expect(report.pending).toEqual([]);
  });

  it('refuses a period whose window has closed for no resource yet, and reads nothing', async () => {
    const { estimates, useCase } = setup();
    const run = useCase.run('2026-11', new Date('2026-11-25T23:59:00.000+03:00'));
    await expect(run).rejects.toThrow(EstimateRunRefused);
    await expect(run).rejects.toThrow(
      'the window of 2026-11 is still open for every resource (the first closes on 2026-11-25)',
    );
    expect(estimates.candidates).not.toHaveBeenCalled();
  });
});
