import { ApiProperty } from '@nestjs/swagger';
import { FIRST_YEAR, KIOSK_LIMITS, LAST_YEAR, ZONES, type Zone } from '@gw/contracts';
import { ACCOUNT_NUMBER, METER_SERIAL } from '@gw/domain';
import { ArrayMaxSize, ArrayMinSize, IsArray, Matches } from 'class-validator';
import { DECIMAL, IsPositiveInteger, IsRfc3339, IsZoneValues } from './kiosk-validators';

const ACCOUNT = 'must be a string of 10 digits';
const SERIAL = 'must be 1 to 32 printable ASCII characters without spaces at the ends';

/** Documents an entry of `values` (checked by IsZoneValues). */
export class KioskZoneValueDto {
  @ApiProperty({ enum: ZONES, example: 'T1' })
  zone: Zone;

  @ApiProperty({
    example: '01234.567',
    description: 'A non-negative decimal string: digits with at most one "." or "," between them',
    pattern: DECIMAL.source,
    maxLength: 64,
  })
  value: string;
}

/** One reading of a batch. Messages name the problem; the property's name is put in front. */
export class KioskReadingDto {
  @ApiProperty({
    type: 'integer',
    example: 3,
    // What IsPositiveInteger takes: a larger number cannot be read from JSON exactly.
    minimum: 1,
    maximum: Number.MAX_SAFE_INTEGER,
    description: 'Unique in the batch',
  })
  @IsPositiveInteger()
  seq: number;

  @ApiProperty({ example: '5001234567', pattern: ACCOUNT_NUMBER.source })
  @Matches(ACCOUNT_NUMBER, { message: ACCOUNT })
  accountNumber: string;

  @ApiProperty({
    example: '19-123456',
    description: 'As in the registry: 1 to 32 printable ASCII characters, no spaces at the ends',
    pattern: METER_SERIAL.source,
  })
  @Matches(METER_SERIAL, { message: SERIAL })
  meterSerial: string;

  @ApiProperty({
    type: [KioskZoneValueDto],
    minItems: 1,
    maxItems: 3,
    description: 'One entry per tariff zone, zones distinct',
  })
  @IsZoneValues()
  values: KioskZoneValueDto[];

  @ApiProperty({
    example: '2026-11-20T10:15:00+03:00',
    format: 'date-time',
    description: `RFC 3339 with an offset within ±14:00, years ${FIRST_YEAR} to ${LAST_YEAR}`,
  })
  @IsRfc3339()
  readAt: string;
}

/**
 * The readings of a batch as columns: each property holds that property of every reading, checked
 * element by element (`each`) with the very constraint of KioskReadingDto. When every column
 * passes, every reading is well-formed, found in one validation rather than one per reading; the
 * per-reading cost of class-validator is mostly its work per object and per property, not the
 * constraints. Not part of the API, so not documented in OpenAPI.
 */
export class KioskReadingColumnsDto {
  @IsPositiveInteger({ each: true })
  seq: unknown[];

  @Matches(ACCOUNT_NUMBER, { message: ACCOUNT, each: true })
  accountNumber: unknown[];

  @Matches(METER_SERIAL, { message: SERIAL, each: true })
  meterSerial: unknown[];

  @IsZoneValues({ each: true })
  values: unknown[];

  @IsRfc3339({ each: true })
  readAt: unknown[];
}

const BATCH_ID = `must be a string of 1 to 128 printable characters`;
const ITEMS = `must be an array of 1 to ${KIOSK_LIMITS.maxItems} readings`;

/**
 * The request body of `POST /v1/kiosk/readings`. Only its envelope is validated as a whole (a bad
 * envelope is a 400); each item is validated on its own as a KioskReadingDto, so one bad item
 * does not hold back the rest of the batch.
 */
export class KioskBatchDto {
  @ApiProperty({ example: '77', minLength: 1, maxLength: 128 })
  @Matches(/^[^\p{C}]{1,128}$/u, { message: BATCH_ID })
  batchId: string;

  @ApiProperty({ type: [KioskReadingDto], minItems: 1, maxItems: KIOSK_LIMITS.maxItems })
  // class-validator runs these bottom-up and, with stopAtFirstError, reports the first failure.
  @ArrayMaxSize(KIOSK_LIMITS.maxItems, { message: ITEMS })
  @ArrayMinSize(1, { message: ITEMS })
  @IsArray({ message: ITEMS })
  items: unknown[];
}
