import { Injectable } from '@nestjs/common';
import type { PeriodRange } from '@gw/domain';
import { MeterRepository, ReadingRepository } from '@gw/persistence';
import { NotFoundError } from '../backoffice.errors';
import { meterReadingView } from './meter-reading.view';

import type { MeterReadingsDto } from './meter-readings.dto';

@Injectable()
export class ListMeterReadingsUseCase {
  constructor(
    private readonly meters: MeterRepository,
    private readonly readings: ReadingRepository,
  ) {}

  /** A registered meter's submissions in a range of billing periods. */
  async execute(serial: string, range: PeriodRange): Promise<MeterReadingsDto> {
    const meter = await this.meters.findBySerial(serial);
    if (!meter) throw new NotFoundError(`meter ${serial}`);
    return {
      serial,
      accountNumber: meter.accountNumber,
      ...range,
      // The meter is named once above; each reading names the account it was submitted for.
      readings: (await this.readings.listByMeter(serial, range)).map((stored) => {
        const { meterSerial: _serial, resource: _resource, ...reading } = meterReadingView(stored);
        return reading;
      }),
    };
  }
}
