import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import { AuthenticatedKiosk } from './auth/authenticated-kiosk.decorator';
import { KioskRateLimitGuard } from './auth/kiosk-rate-limit.guard';
import { KioskSignatureGuard } from './auth/kiosk-signature.guard';
import { KioskExceptionFilter } from './kiosk-exception.filter';
import { KioskError } from './kiosk.errors';
import { KioskBatchDto } from './readings/kiosk-batch.dto';
import { KioskBatchResultDto } from './readings/kiosk-batch-result.dto';
import { SubmitKioskBatchUseCase } from './readings/submit-kiosk-batch.use-case';
import { FindKioskSubmissionUseCase } from './submissions/find-kiosk-submission.use-case';
import { KioskSubmissionDto } from './submissions/kiosk-submission.dto';

const SIGNED =
  'HMAC-SHA256 with the kiosk secret over "<timestamp>\\n<nonce>\\n<METHOD>\\n<path>\\n<hex sha256 of the raw body>", lowercase hex';

@ApiTags('kiosk')
@ApiHeader({ name: 'X-Kiosk-Id', required: true, description: 'The kiosk id from `ctl kiosk add`' })
@ApiHeader({
  name: 'X-Timestamp',
  required: true,
  description: 'Unix seconds, within 300 s of the server clock',
})
@ApiHeader({
  name: 'X-Nonce',
  required: true,
  description: '16 to 64 printable ASCII characters, never reused',
})
@ApiHeader({ name: 'X-Signature', required: true, description: SIGNED })
@ApiUnauthorizedResponse({
  description:
    'Unknown kiosk, wrong signature, timestamp outside the clock window or nonce reused; nothing was queued',
})
@ApiTooManyRequestsResponse({
  description:
    'The kiosk is over its request rate (checked after the signature), or TOO_MANY_REQUESTS: its address is over the per-address limit (checked before anything else); see Retry-After (seconds)',
})
@Controller('v1/kiosk')
@UseFilters(KioskExceptionFilter)
@UseGuards(KioskSignatureGuard, KioskRateLimitGuard)
export class KioskController {
  constructor(
    private readonly submitBatch: SubmitKioskBatchUseCase,
    private readonly findSubmission: FindKioskSubmissionUseCase,
  ) {}

  @Post('readings')
  @HttpCode(HttpStatus.ACCEPTED)
  // The answer comes as JSON from the worker thread that prepared the batch.
  @Header('Content-Type', 'application/json; charset=utf-8')
  @ApiOperation({
    summary: 'Submit a signed batch of up to 1000 readings (at most 1 MiB)',
    description:
      'Well-formed items are queued, the others answered as invalid with their errors. The answer comes only after Kafka acknowledged every queued item. A retried batch (same kiosk, batchId and seq) gets the same submission ids and is stored once.',
  })
  @ApiBody({ type: KioskBatchDto })
  @ApiAcceptedResponse({ type: KioskBatchResultDto })
  @ApiBadRequestResponse({ description: 'Not JSON, not a batch, or more than 1000 items' })
  @ApiPayloadTooLargeResponse({ description: 'The body is larger than 1 MiB' })
  @ApiUnsupportedMediaTypeResponse({
    description:
      'Content-Type is not application/json, or the body is compressed (Content-Encoding)',
  })
  @ApiServiceUnavailableResponse({
    description:
      'Kafka could not take the batch, or the database is unavailable; retry later (Retry-After)',
  })
  submit(
    @AuthenticatedKiosk() kioskId: string,
    // The raw bytes (RawBodyMiddleware): the signature covers them, and they are parsed off the event loop.
    @Body() body: Buffer,
  ): Promise<string> {
    return this.submitBatch.execute(kioskId, body);
  }

  @Get('submissions/:submissionId')
  @ApiOperation({
    summary: "A submission's current status, for the receipt",
    description: 'Signed like the POST, over this path and an empty body.',
  })
  @ApiOkResponse({ type: KioskSubmissionDto })
  @ApiServiceUnavailableResponse({
    description: 'The database is unavailable; retry later (Retry-After)',
  })
  @ApiNotFoundResponse({
    description:
      'Not recorded by the processor yet, never submitted, or submitted by another kiosk',
  })
  async find(
    @AuthenticatedKiosk() kioskId: string,
    @Param('submissionId') submissionId: string,
  ): Promise<KioskSubmissionDto> {
    const submission = await this.findSubmission.execute(kioskId, submissionId);
    if (!submission)
      throw new KioskError('SUBMISSION_NOT_FOUND', `no submission ${submissionId} of this kiosk`);
    return submission;
  }
}
