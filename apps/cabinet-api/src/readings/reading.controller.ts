import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  UseFilters,
  UseGuards,
  UsePipes,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { LinkedAccountGuard } from '../auth/linked-account.guard';
import { ResidentAuthGuard, ResidentId } from '../auth/resident-auth.guard';
import { CabinetExceptionFilter } from '../cabinet-exception.filter';
import { ApiCheckedInput } from '../cabinet-api-responses';
import { cabinetValidation } from '../cabinet-validation.pipe';
import { IdempotencyKey } from './idempotency-key.decorator';
import { ListReadingHistoryUseCase } from './list-reading-history.use-case';
import {
  HistoryQueryDto,
  ReadingHistoryDto,
  ReadingsQueuedDto,
  SubmitReadingsDto,
} from './reading.dto';
import { SubmitReadingsUseCase } from './submit-readings.use-case';
import { ApiTooManyRequests } from '@gw/platform';

@ApiTags('readings')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No valid session token' })
@ApiNotFoundResponse({ description: 'ACCOUNT_NOT_FOUND: not linked to this resident' })
@ApiTooManyRequests()
@Controller('v1/cabinet/accounts/:accountNumber/readings')
@UseGuards(ResidentAuthGuard, LinkedAccountGuard)
@UseFilters(CabinetExceptionFilter)
@UsePipes(cabinetValidation)
export class ReadingController {
  constructor(
    private readonly submit: SubmitReadingsUseCase,
    private readonly history: ListReadingHistoryUseCase,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Submit readings of the account’s meters, one submission per meter' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Repeat it on a retry to get the same submission ids and store nothing twice',
  })
  @ApiAcceptedResponse({ type: ReadingsQueuedDto })
  @ApiUnprocessableEntityResponse({
    description:
      'METER_NOT_ON_ACCOUNT, or IDEMPOTENCY_KEY_REUSED: the key was sent before with other readings',
  })
  @ApiServiceUnavailableResponse({ description: 'Kafka unavailable; retry with the same key' })
  @ApiCheckedInput({ json: true })
  create(
    @ResidentId() residentId: string,
    @Param('accountNumber') accountNumber: string,
    @Body() body: SubmitReadingsDto,
    @IdempotencyKey() idempotencyKey: string | null,
  ): Promise<ReadingsQueuedDto> {
    return this.submit.execute({
      residentId,
      accountNumber,
      readings: body.readings,
      idempotencyKey,
    });
  }

  @Get()
  @ApiOperation({
    summary: 'Readings of a billing period with their outcomes, explained in Russian',
  })
  @ApiOkResponse({ type: ReadingHistoryDto })
  @ApiCheckedInput({ json: false })
  list(
    @Param('accountNumber') accountNumber: string,
    @Query() query: HistoryQueryDto,
  ): Promise<ReadingHistoryDto> {
    return this.history.execute(accountNumber, query.period);
  }
}
