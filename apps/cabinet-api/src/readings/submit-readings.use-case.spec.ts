import 'reflect-metadata';
import type { SubmissionPublisher } from '@gw/messaging';
import type { MeterRepository } from '@gw/persistence';
import { SystemClock } from '../clock';
import type { SubmissionKeyRepository } from '../persistence/submission-key.repository';
import { SubmitReadingsUseCase } from './submit-readings.use-case';

const reading = (meterSerial: string, value: string) => ({
  meterSerial,
  values: [{ zone: 'T1', value }],
});

describe('SubmitReadingsUseCase', () => {
  it('refuses a meter named twice and queues nothing: one of its values would be lost', async () => {
    const publish = jest.fn();
    const submit = new SubmitReadingsUseCase(
      {
        listByAccount: async () => [{ serial: 'C-1' }, { serial: 'H-1' }],
      } as never as MeterRepository,
      { publish } as never as SubmissionPublisher,
      new SystemClock(),
      { claim: jest.fn() } as never as SubmissionKeyRepository,
    );
    const refused = submit.execute({
      residentId: '00000000-0000-4000-8000-000000000001',
      accountNumber: '5001234567',
      readings: [reading('H-1', '150'), reading('C-1', '12'), reading('H-1', '170')],
      idempotencyKey: 'form-1',
    });
    await expect(refused).rejects.toMatchObject({
      code: 'METER_REPEATED',
      message: 'meter H-1 is named more than once',
    });
    expect(publish).not.toHaveBeenCalled();
  });
});
