import { DAY_MS } from '@gw/domain';
import type {
  AuditLogRepository,
  LookupMeter,
  MeterVerificationRepository,
  TransactionRunner,
} from '@gw/persistence';
import type { MeterRevalidation } from '../meter-revalidation';
import { type ArshinClient, ArshinLookupError } from './arshin.client';
import { VerificationSync } from './verification-sync';

const ACTOR = { kind: 'schedule' } as never;

/** A fit record of `serial` as Arshin publishes it. */
const fitRecord = (serial: string) => ({
  vri_id: '1-402115790',
  org_title: 'ФБУ «Ростест-Москва»',
  mit_number: '32636-06',
  mit_title: 'Счетчики холодной и горячей воды',
  mi_number: serial,
  verification_date: '15.03.2026',
  valid_date: '14.03.2032',
  result_docnum: 'С-ВЯ/15-03-2026/402115790',
  applicability: true,
});

/**
 * A sync over fake meters: Arshin fails for `unreachable`, has a fit record of `found` (whose
 * recording fails: the database is gone), and knows none of the others.
 */
function syncOver(meters: LookupMeter[], recheckDays: number, unreachable = '', found = '') {
  const selections: unknown[] = [];
  const recorded: string[] = [];
  const verifications = {
    dueForLookup: async (selection: unknown) => {
      selections.push(selection);
      return meters;
    },
    recordLookup: async (meter: LookupMeter) => void recorded.push(meter.serial),
  } as unknown as MeterVerificationRepository;
  const client = {
    lookup: async (serial: string) => {
      if (serial === unreachable) throw new ArshinLookupError('unavailable', 'HTTP 503');
      return serial === found ? { count: 1, items: [fitRecord(serial)] } : { count: 0, items: [] };
    },
  } as unknown as ArshinClient;
  const transactions = {
    exclusively: (_job: string, work: () => Promise<unknown>) => work(),
    run: async () => {
      throw new Error('Connection terminated unexpectedly');
    },
  } as unknown as TransactionRunner;
  const sync = new VerificationSync(
    client,
    verifications,
    {} as MeterRevalidation,
    transactions,
    {} as AuditLogRepository,
    recheckDays,
  );
  return { sync, selections, recorded };
}

const meter = (serial: string): LookupMeter => ({
  serial,
  resource: 'cold_water',
  typeNumber: null,
});

describe('VerificationSync', () => {
  it('asks for the due meters not answered about within the recheck days', async () => {
    const { sync, selections } = syncOver([], 7);
    const before = Date.now();
    await sync.run({ dueBy: '2026-12-05' }, ACTOR);
    const [selection] = selections as { dueBy: string; askedBefore: Date }[];
    expect(selection.dueBy).toBe('2026-12-05');
    expect(selection.askedBefore.getTime()).toBeGreaterThanOrEqual(before - 7 * DAY_MS);
    expect(selection.askedBefore.getTime()).toBeLessThanOrEqual(Date.now() - 7 * DAY_MS);
  });

  it('with 0 recheck days, asks for every due meter answered about before now', async () => {
    const { sync, selections } = syncOver([], 0);
    const before = Date.now();
    await sync.run({ dueBy: '2026-12-05' }, ACTOR);
    const [{ askedBefore }] = selections as { askedBefore: Date }[];
    expect(askedBefore.getTime()).toBeGreaterThanOrEqual(before);
    expect(askedBefore.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('asks for one meter by its serial, whenever its last answer', async () => {
    const { sync, selections } = syncOver([meter('19-1')], 7);
    await sync.run({ dueBy: '2026-12-05', serial: '19-1' }, ACTOR);
    expect(selections).toEqual([{ serial: '19-1' }]);
  });

  it('records each meter Arshin answered about, not one whose lookup failed', async () => {
    const { sync, recorded } = syncOver([meter('19-1'), meter('19-2'), meter('19-3')], 7, '19-2');
    const report = await sync.run({ dueBy: '2026-12-05' }, ACTOR);
    expect(report).toMatchObject({
      checked: 2,
      notFound: 2,
      failed: [{ serial: '19-2', error: 'HTTP 503' }],
    });
    expect(recorded).toEqual(['19-1', '19-3']);
  });

  it('does not record a meter whose records could not be stored: the next sync asks again', async () => {
    const { sync, recorded } = syncOver([meter('19-1'), meter('19-4')], 7, '', '19-4');
    await expect(sync.run({ dueBy: '2026-12-05' }, ACTOR)).rejects.toThrow(
      'Connection terminated unexpectedly',
    );
    expect(recorded).toEqual(['19-1']);
  });
});
