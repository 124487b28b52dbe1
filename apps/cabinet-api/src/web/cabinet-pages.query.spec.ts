import type { HistoryReadingDto } from '../readings/reading.dto';
import { consumptionByPeriod } from './cabinet-pages.query';

const reading = (
  status: string,
  billingPeriod: string | null,
  consumption: { zone: string; value: string }[],
) => ({ status, billingPeriod, consumption }) as HistoryReadingDto;

describe('consumptionByPeriod', () => {
  it('adds up the accepted readings per period and zone, exactly, newest period first', () => {
    expect(
      consumptionByPeriod(
        [
          reading('accepted', '2026-11', [{ zone: 'T1', value: '0.1' }]),
          reading('accepted', '2026-11', [{ zone: 'T1', value: '0.2' }]),
          reading('rejected', '2026-11', [{ zone: 'T1', value: '99' }]),
          reading('needs_review', '2026-11', [{ zone: 'T1', value: '99' }]),
          reading('accepted', null, []),
          reading('accepted', '2026-10', [
            { zone: 'T2', value: '1.5' },
            { zone: 'T1', value: '3' },
          ]),
        ],
        3,
      ),
    ).toEqual([
      { period: '2026-11', consumption: [{ zone: 'T1', value: '0.300' }] },
      {
        period: '2026-10',
        consumption: [
          { zone: 'T1', value: '3.000' },
          { zone: 'T2', value: '1.500' },
        ],
      },
    ]);
  });
});
