import type { EstimateRepository, StoredEstimate } from '@gw/persistence';
import { ListEstimatesUseCase } from './list-estimates.use-case';

const estimate = (serial: string): StoredEstimate => ({
  estimateId: `estimate-${serial}`,
  serial,
  billingPeriod: '2026-10',
  accountNumber: '5001234567',
  resource: 'cold_water',
  method: 'normative',
  consecutive: 1,
  consumption: [{ zone: 'T1', value: '3.500' }],
  basis: null,
  coefficient: null,
  decidedAt: new Date('2026-11-26T00:05:00.000+03:00'),
  publishedAt: null,
  supersededBy: null,
  supersededAt: null,
});

describe('ListEstimatesUseCase', () => {
  // A period of four estimates, paged as the repository pages them: in serial order after a serial.
  const stored = ['S-1', 'S-2', 'S-3', 'S-4'].map(estimate);
  const useCase = new ListEstimatesUseCase({
    listByPeriod: async (_period: string, page: { afterSerial: string; limit: number }) =>
      stored.filter((e) => e.serial > page.afterSerial).slice(0, page.limit),
  } as unknown as EstimateRepository);
  const page = async (limit: number, afterSerial?: string) => {
    const { estimates, nextAfterSerial } = await useCase.page({
      period: '2026-10',
      afterSerial,
      limit,
    });
    return { serials: estimates.map((e) => e.meterSerial), nextAfterSerial };
  };

  it.each<[string, number, string | undefined, string[], string | null]>([
    ['a page with more after it', 3, undefined, ['S-1', 'S-2', 'S-3'], 'S-3'],
    ['the last page, full', 4, undefined, ['S-1', 'S-2', 'S-3', 'S-4'], null],
    ['the last page, full, after a serial', 2, 'S-2', ['S-3', 'S-4'], null],
    ['the last page, short', 5, undefined, ['S-1', 'S-2', 'S-3', 'S-4'], null],
    ['past the end', 2, 'S-4', [], null],
  ])('%s', async (_name, limit, afterSerial, serials, nextAfterSerial) => {
    expect(await page(limit, afterSerial)).toEqual({ serials, nextAfterSerial });
  });
});
