import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { isTimestamp, TIMESTAMP_RULE } from '@gw/contracts';
import { PageLimit } from '../http/page-limit.decorator';
import { IsOptional, IsString, Length, Matches, ValidateBy } from 'class-validator';

const IsInstant = () =>
  ValidateBy({
    name: 'isInstant',
    validator: {
      validate: (value) => isTimestamp(value),
      defaultMessage: (args) => `${args?.property} ${TIMESTAMP_RULE}`,
    },
  });

/** On `to`: a range that runs backwards is a mistake to name, not a question with no answer. */
const FromNotAfterTo = () =>
  ValidateBy({
    name: 'fromNotAfterTo',
    validator: {
      // Malformed ends are reported by IsInstant; order is only meaningful between two instants.
      validate: (to, args) => {
        const { from } = args?.object as AuditQueryDto;
        return !isTimestamp(from) || !isTimestamp(to) || Date.parse(from) <= Date.parse(to);
      },
      defaultMessage: () => 'from must not be after to',
    },
  });

/** An audit entry's id as a query names it (`beforeId`): a positive bigint in digits. */
export const AUDIT_ENTRY_ID = /^[1-9]\d{0,17}$/;

/**
 * The actions the back office writes (`ctl verifications sync` writes the `meter.*` ones too);
 * its web UI names each in Russian.
 */
export const BACKOFFICE_AUDIT_ACTIONS = [
  'auth.login',
  'auth.logout',
  'meter.revalidate',
  'meter.verification',
  'meter.verification.arshin',
  'review.approve',
  'review.approve_swapped',
  'review.claim',
  'review.reject',
  'review.release',
] as const;

/**
 * The actions only `ctl` writes: `dlq replay`, `<holder>.disable|enable` of a credential, and an
 * operator's `add` (created, or password and role replaced) and `revoke` (sessions ended).
 */
export const CTL_AUDIT_ACTIONS = [
  'dlq replay',
  'kiosk.disable',
  'kiosk.enable',
  'operator.add',
  'operator.disable',
  'operator.enable',
  'operator.revoke',
  'scanner.disable',
  'scanner.enable',
  'terminal.disable',
  'terminal.enable',
] as const;

/** Every action the audit log holds: the `action` values of the API's schema. */
export const AUDIT_ACTIONS = [...BACKOFFICE_AUDIT_ACTIONS, ...CTL_AUDIT_ACTIONS] as const;

export class AuditQueryDto {
  @ApiPropertyOptional({ example: '2026-11-01T00:00:00+03:00', description: 'From (inclusive)' })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00+03:00', description: 'Until (exclusive)' })
  @IsOptional()
  @IsInstant()
  @FromNotAfterTo()
  to?: string;

  @ApiPropertyOptional({
    example: 'ivanova',
    description: "Only this operator's actions (ignoring case)",
  })
  @IsOptional()
  @IsString()
  @Length(1, 64, { message: 'login must be 1 to 64 characters' })
  login?: string;

  @ApiPropertyOptional({ enum: AUDIT_ACTIONS })
  @IsOptional()
  @IsString()
  @Length(1, 48, { message: 'action must be 1 to 48 characters' })
  action?: string;

  @ApiPropertyOptional({
    example: 'review:0b5c4f7e-2a1d-5c1e-9f5a-0d8a2b8e6c11',
    description: 'review:<submissionId>, meter:<serial> or operator:<login> (login ignoring case)',
  })
  @IsOptional()
  @IsString()
  @Length(1, 128, { message: 'subject must be 1 to 128 characters' })
  subject?: string;

  @ApiPropertyOptional({ example: '1042', description: 'Entries older than this id (paging)' })
  @IsOptional()
  @Matches(AUDIT_ENTRY_ID, { message: 'beforeId must be a positive integer' })
  beforeId?: string;

  @PageLimit(1000)
  limit?: number;
}

export class AuditEntryDto {
  @ApiProperty({ example: '1041' })
  id: string;

  @ApiProperty({ example: '2026-11-20T10:15:02.311+03:00' })
  at: string;

  @ApiProperty({ example: 'ivanova' })
  login: string;

  @ApiProperty({ example: 'operator', description: 'The role the operator acted with' })
  role: string;

  @ApiProperty({ enum: AUDIT_ACTIONS })
  action: string;

  @ApiProperty({ example: 'review:0b5c4f7e-2a1d-5c1e-9f5a-0d8a2b8e6c11' })
  subject: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'State before',
  })
  before: unknown;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'State after',
  })
  after: unknown;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryDto], description: 'Newest first' })
  entries: AuditEntryDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as beforeId for the next page; null on the last page',
  })
  nextBeforeId: string | null;
}
