import { ApiProperty } from '@nestjs/swagger';
import { RESOURCES, ZONES } from '@gw/contracts';
import { IsIn, Matches } from 'class-validator';

/** One tariff zone's value: a decimal string with a dot (a comma is accepted on input). */
export class ZoneValueDto {
  @ApiProperty({ enum: ZONES, example: 'T1' })
  @IsIn(ZONES, { message: 'zone must be T1, T2 or T3' })
  zone: string;

  @ApiProperty({ example: '00123.456' })
  @Matches(/^\d{1,15}(?:[.,]\d{1,6})?$/, {
    message: 'value must be a non-negative decimal such as "00123.456"',
  })
  value: string;
}

export class LinkedAccountDto {
  @ApiProperty({ example: '5001234567' })
  accountNumber: string;

  @ApiProperty({ example: '2026-11-20T10:15:02.311+03:00' })
  linkedAt: string;
}

export class LinkedAccountsDto {
  @ApiProperty({ type: [LinkedAccountDto] })
  accounts: LinkedAccountDto[];
}

export class AccountLinkDto {
  @ApiProperty({
    example: '3f0c1a52-6d1e-4c8e-9b1a-2f7d9e0c4b11',
    description: 'Names the link in the e-mail sent about it and in DELETE …/links/{linkId}',
  })
  linkId: string;

  @ApiProperty({
    example: 'm***@mail.ru',
    description: 'The holder’s e-mail: in full for your own link, masked for the others',
  })
  email: string;

  @ApiProperty({ example: '2026-11-20T10:15:02.311+03:00' })
  linkedAt: string;

  @ApiProperty({ description: 'Whether this link is the signed-in resident’s own' })
  yours: boolean;

  @ApiProperty({
    description: 'Whether the signed-in resident may revoke it: links made after their own',
  })
  revocable: boolean;
}

export class AccountLinksDto {
  @ApiProperty({ example: '5001234567' })
  accountNumber: string;

  @ApiProperty({
    type: [AccountLinkDto],
    description: 'Every resident holding the account, earliest first',
  })
  links: AccountLinkDto[];
}

export class VerificationDto {
  @ApiProperty({ enum: ['valid', 'due_soon', 'expired', 'decommissioned'] })
  status: string;

  @ApiProperty({ example: '2030-01-10', description: 'Verification (поверка) due date' })
  dueOn: string;

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'What to tell the resident, in Russian; null while the verification is valid',
  })
  notice: string | null;

  @ApiProperty({
    required: false,
    example: '2026-11-19',
    description:
      'Present only when the verification in force today found the meter unfit: the date of ' +
      'that finding. `status` is then `expired`',
  })
  unfitSince?: string;
}

export class ReadingWindowDto {
  @ApiProperty({ description: 'Whether today is inside the submission window' })
  open: boolean;

  @ApiProperty({ example: '2026-11-15' })
  opensOn: string;

  @ApiProperty({ example: '2026-11-25', description: 'The last day of the window' })
  closesOn: string;

  @ApiProperty({ example: '2026-11', description: 'The period a reading given today counts for' })
  billingPeriod: string;
}

export class LastAcceptedDto {
  @ApiProperty({ example: '2026-10-20T09:00:00.000+03:00' })
  readAt: string;

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Null for the registry’s initial values',
  })
  billingPeriod: string | null;

  @ApiProperty({ type: [ZoneValueDto] })
  values: ZoneValueDto[];
}

export class VerificationReminderDto {
  @ApiProperty({ example: '2027-02-01', description: 'The due date reminded of' })
  dueOn: string;

  @ApiProperty({ enum: [60, 30, 0], description: 'Days before the due date the reminder is for' })
  daysLeft: number;

  @ApiProperty({ example: '2026-12-03T09:00:00.000+03:00' })
  publishedAt: string;
}

export class CabinetMeterDto {
  @ApiProperty({ example: '19-123456' })
  serial: string;

  @ApiProperty({ enum: RESOURCES })
  resource: string;

  @ApiProperty({ example: 'Холодная вода' })
  resourceName: string;

  @ApiProperty({ example: ['T1'], description: 'The zones to give a value for' })
  zones: string[];

  @ApiProperty({ example: 5 })
  integerDigits: number;

  @ApiProperty({ example: 3 })
  fractionDigits: number;

  @ApiProperty({ type: VerificationDto })
  verification: VerificationDto;

  @ApiProperty({
    description: 'False when readings would be rejected (verification expired, decommissioned)',
  })
  acceptsReadings: boolean;

  @ApiProperty({ type: LastAcceptedDto, nullable: true })
  lastAccepted: LastAcceptedDto | null;

  @ApiProperty({ type: ReadingWindowDto })
  window: ReadingWindowDto;

  @ApiProperty({
    type: [VerificationReminderDto],
    description:
      'Reminders of the current due date (meter-verifications.reminders.v1), fewest days left first',
  })
  reminders: VerificationReminderDto[];
}

export class AccountMetersDto {
  @ApiProperty({ example: '5001234567' })
  accountNumber: string;

  @ApiProperty({
    example: '2026-11-20',
    description: 'Today in Moscow, the date the statuses hold for',
  })
  today: string;

  @ApiProperty({ type: [CabinetMeterDto] })
  meters: CabinetMeterDto[];
}
