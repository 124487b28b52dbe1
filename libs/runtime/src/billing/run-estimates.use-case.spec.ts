import type { Resource } from '@gw/contracts';
import { DEFAULT_ESTIMATE_POLICY, DEFAULT_WINDOW_POLICY, type IsoDate } from '@gw/domain';
import type { EstimateCandidate, EstimateRepository, TransactionRunner } from '@gw/persistence';
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

  /** A meter installed on `installedOn`, never read and without initial values, with a normative. */
  const neverRead = (resource: Resource, installedOn: IsoDate): EstimateCandidate => ({
    serial: '19-123456',
    accountNumber: '5001234567',
    resource,
    zones: 1,
    closesOn: resource === 'electricity' ? '2026-12-26' : '2026-12-25',
    initialOn: null,
    installedOn,
    verificationDueOn: '2032-11-01',
    verifications: [{ verifiedOn: '2026-11-01', dueOn: '2032-11-01', applicable: true }],
    normative: '6.000',
    sharing: 1,
    history: [],
  });

  // The period of installation is the billing period the installation date falls in: a meter
  // installed after November's window closed is unread since December.
  it.each<[Resource, IsoDate, number]>([
    ['cold_water', '2026-11-01', 2],
    ['cold_water', '2026-11-25', 2],
    ['cold_water', '2026-11-26', 1],
    ['cold_water', '2026-11-28', 1],
    ['electricity', '2026-11-26', 2],
    ['electricity', '2026-11-27', 1],
    ['cold_water', '2026-12-10', 1],
  ])(
    'counts a never-read %s meter installed on %s as %i period(s) without a reading in 2026-12',
    async (resource, installedOn, consecutive) => {
      const { estimates, useCase } = setup();
      const meter = neverRead(resource, installedOn);
      estimates.candidates
        .mockResolvedValueOnce({ candidates: [meter], lastSerial: meter.serial })
        .mockResolvedValueOnce({ candidates: [], lastSerial: null });
      await useCase.run('2026-12', new Date('2026-12-27T00:05:00.000+03:00'));
      expect(estimates.insert).toHaveBeenCalledWith({}, [
        expect.objectContaining({ billingPeriod: '2026-12', method: 'normative', consecutive }),
      ]);
    },
  );
});
