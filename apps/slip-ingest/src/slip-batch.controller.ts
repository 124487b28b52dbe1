import {
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  UseFilters,
  UseGuards,
  ValidationPipe,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBasicAuth,
  ApiBody,
  ApiConsumes,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { BATCH_ID, SLIP_COLUMNS } from '@gw/domain';
import type { Request } from 'express';
import { GetSlipBatchUseCase } from './get-slip-batch.use-case';
import { IngestSlipBatchUseCase } from './ingest-slip-batch.use-case';
import { SlipBatchHttpFilter } from './slip-batch-http.filter';
import { SlipBatchAcceptedDto, SlipBatchReportDto, SlipBatchRowsQueryDto } from './slip-batch.dto';
import { SlipBatchError } from './slip-batch.errors';
import { slipUploadReader } from './slip-upload.stream';
import { ScanningCentre, ScanningCentreGuard } from './scanning-centre.guard';

const EXAMPLE = `${SLIP_COLUMNS.join(';')}
S-000001;ST00012|Name=ООО "МосОблЕИРЦ"|PersonalAcc=40702810040000012345|BankName=ПАО Сбербанк|BIC=044525225|CorrespAcc=30101810400000000225|PersAcc=5001234567|paymPeriod=112026;19-123456;T1;01234,567;0.97;2026/11/20/S-000001.png`;

@ApiTags('slips')
@ApiBasicAuth()
@ApiResponse({ status: 401, description: 'No or wrong scanning-centre credentials' })
@ApiResponse({ status: 429, description: 'Too many requests from this address; see Retry-After' })
@UseGuards(ScanningCentreGuard)
@UseFilters(SlipBatchHttpFilter)
@Controller('v1/slips/batches')
export class SlipBatchController {
  constructor(
    private readonly ingest: IngestSlipBatchUseCase,
    private readonly getBatch: GetSlipBatchUseCase,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Upload one batch file of recognised tear-off slips (contract 7.4)',
    description:
      'UTF-8 CSV, ";" separated, header row, up to 200,000 rows, streamed. Answers once every queued row is in Kafka. ' +
      'Sending a batch again (all of it, or after an interruption) queues nothing twice. docs/integrators.md documents the format. ' +
      'A multipart form may also carry the scanned slips: one part "image" per image (JPEG, PNG or WebP, at most SLIP_IMAGE_MAX_BYTES), its file name being the image_ref its rows name.',
  })
  @ApiConsumes('text/csv', 'multipart/form-data')
  @ApiHeader({
    name: 'X-Batch-Id',
    required: true,
    description: '1 to 64 letters, digits, ".", "_" or "-"',
  })
  @ApiBody({
    description:
      'The file itself (text/csv), or a multipart form with the file in the field "file" and, optionally, images in fields "image"',
    schema: { type: 'string', example: EXAMPLE },
  })
  @ApiAcceptedResponse({ type: SlipBatchAcceptedDto })
  @ApiResponse({
    status: 400,
    description:
      'No or bad X-Batch-Id, a file that cannot be read (not UTF-8, no header, a quote left open), a multipart Content-Type without its boundary, an image part without a usable file name, or an upload cut short',
  })
  @ApiResponse({ status: 409, description: 'Another upload of this batch is under way' })
  @ApiResponse({ status: 413, description: 'More than 200,000 rows, or an image too large' })
  @ApiResponse({
    status: 415,
    description:
      'Neither text/csv (UTF-8) nor multipart/form-data, a compressed body (Content-Encoding), or an image neither JPEG, PNG nor WebP',
  })
  @ApiResponse({
    status: 503,
    description:
      'Kafka or the database unavailable, or SLIP_MAX_UPLOADS uploads under way on this instance (UPLOADS_BUSY): send the batch again after Retry-After',
  })
  async upload(
    @ScanningCentre() centreId: string,
    @Headers('x-batch-id') batchId: string | undefined,
    @Req() req: Request,
  ): Promise<SlipBatchAcceptedDto> {
    if (!batchId || !BATCH_ID.test(batchId))
      throw new SlipBatchError(
        'BATCH_ID_INVALID',
        'X-Batch-Id must be 1 to 64 letters, digits, ".", "_" or "-"',
      );
    return this.ingest.execute({ centreId, batchId }, slipUploadReader(req));
  }

  @Get(':batchId')
  @ApiOperation({
    summary: 'A batch: counts, then its rows with errors and, once decided, outcome statuses',
  })
  @ApiOkResponse({ type: SlipBatchReportDto })
  @ApiResponse({
    status: 400,
    description: 'after, limit or status malformed, or a query parameter it does not know',
  })
  @ApiResponse({ status: 404, description: 'This scanning centre sent no such batch' })
  report(
    @ScanningCentre() centreId: string,
    @Param('batchId') batchId: string,
    @Query(new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true }))
    query: SlipBatchRowsQueryDto,
  ): Promise<SlipBatchReportDto> {
    return this.getBatch.execute(centreId, batchId, {
      after: query.after,
      limit: query.limit,
      status: query.status ?? null,
    });
  }
}
