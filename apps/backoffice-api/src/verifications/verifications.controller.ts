import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentOperator } from '../auth/current-operator.decorator';
import type { OperatorPrincipal } from '../auth/operator-tokens';
import { Roles } from '../auth/roles.decorator';
import { ErrorResponseDto } from '../http/error-response.dto';
import { SerialParamsDto } from '../meters/meter-readings.dto';
import { ListVerificationsUseCase } from './list-verifications.use-case';
import { LookupArshinUseCase } from './lookup-arshin.use-case';
import { RecordVerificationUseCase } from './record-verification.use-case';
import { RevalidateReadingsUseCase } from './revalidate-readings.use-case';
import {
  RecordVerificationDto,
  RevalidationDto,
  VerificationDto,
  VerificationHistoryDto,
  VerificationSyncReportDto,
} from './verification.dto';
import { ApiTooManyRequests } from '@gw/platform';

/**
 * Each route declares its own role: a class-level `@Roles` under a route's own would run the
 * guard, and its session lookups, twice, and list the bearer requirement twice in /docs-json.
 */
@ApiTags('meters')
@ApiTooManyRequests({ type: ErrorResponseDto })
@Controller('v1/meters')
export class VerificationsController {
  constructor(
    private readonly list: ListVerificationsUseCase,
    private readonly lookup: LookupArshinUseCase,
    private readonly record: RecordVerificationUseCase,
    private readonly revalidate: RevalidateReadingsUseCase,
  ) {}

  @Get(':serial/verifications')
  @Roles('operator')
  @ApiOperation({
    summary: "A meter's verifications (поверка), latest first, with their source",
    description: 'Source `registry`, `operator` or `arshin`; Arshin records carry their `vriId`.',
  })
  @ApiOkResponse({ type: VerificationHistoryDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'malformed serial' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'no such meter in the registry' })
  history(@Param() params: SerialParamsDto): Promise<VerificationHistoryDto> {
    return this.list.execute(params.serial);
  }

  @Post(':serial/verifications/arshin')
  @Roles('operator')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Look the meter up in ФГИС «Аршин» now',
    description:
      'Records what Arshin shows (never over a newer record) and decides again the readings a new ' +
      'verification covers, as `ctl verifications sync --serial` does. Arshin out, refusing, ' +
      'ambiguous, or an unusable item of its answer (skipped), is reported in `failed`, with 200.',
  })
  @ApiOkResponse({ type: VerificationSyncReportDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'malformed serial' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'no such meter in the registry' })
  lookUpInArshin(
    @Param() params: SerialParamsDto,
    @CurrentOperator() operator: OperatorPrincipal,
  ): Promise<VerificationSyncReportDto> {
    return this.lookup.execute(params.serial, operator);
  }

  @Post(':serial/verifications')
  @Roles('supervisor')
  @ApiOperation({
    summary: 'Record a new verification (поверка) of a meter',
    description:
      "Becomes the meter's current verification: due date = verifiedOn + intervalMonths. The " +
      'same verification sent again answers 200 and changes nothing. Readings it could revive ' +
      'are counted in `revalidatable`; POST /v1/meters/{serial}/revalidate decides them again.',
  })
  @ApiCreatedResponse({ type: VerificationDto, description: 'Recorded' })
  @ApiOkResponse({ type: VerificationDto, description: 'Already recorded with these details' })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'malformed serial or body' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'no such meter in the registry' })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description:
      'not later than the current verification, or that day is on file with other details',
  })
  @ApiUnprocessableEntityResponse({
    type: ErrorResponseDto,
    description: 'in the future, before installation, or after the meter was removed',
  })
  async verify(
    @Param() params: SerialParamsDto,
    @Body() body: RecordVerificationDto,
    @CurrentOperator() operator: OperatorPrincipal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<VerificationDto> {
    const { created, verification } = await this.record.execute(params.serial, body, operator);
    res.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return verification;
  }

  @Post(':serial/revalidate')
  @Roles('supervisor')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Decide again the readings the verification records now judge otherwise',
    description:
      'Readings of the meter rejected only for VERIFICATION_EXPIRED or only for ' +
      'VERIFICATION_FAILED that a fit record now covers, ' +
      'and readings accepted or in review under an unfit record, are validated again, oldest ' +
      'first; each changed one emits a new outcome with its submissionId (accepted, needs_review, ' +
      'or rejected: VERIFICATION_FAILED under an unfit record).',
  })
  @ApiOkResponse({ type: RevalidationDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'malformed serial' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'no such meter in the registry' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'the readings kept changing; retry' })
  revalidateReadings(
    @Param() params: SerialParamsDto,
    @CurrentOperator() operator: OperatorPrincipal,
  ): Promise<RevalidationDto> {
    return this.revalidate.execute(params.serial, operator);
  }
}
