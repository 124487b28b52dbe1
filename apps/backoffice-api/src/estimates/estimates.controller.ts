import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { csvFile } from '../http/csv-file';
import { ErrorResponseDto } from '../http/error-response.dto';
import { EstimatesExportQueryDto, EstimatesPageDto, EstimatesQueryDto } from './estimate.dto';
import { ListEstimatesUseCase } from './list-estimates.use-case';
import { ApiTooManyRequests } from '@gw/platform';

@ApiTags('estimates')
@Roles('operator')
@ApiTooManyRequests({ type: ErrorResponseDto })
@Controller('v1/estimates')
export class EstimatesController {
  constructor(private readonly list: ListEstimatesUseCase) {}

  @Get()
  @ApiOperation({
    summary: "A billing period's Decree-354 estimates",
    description:
      'Meters that had no accepted reading for the period when its window closed, with the ' +
      'method (average, normative, normative_raised), volumes and basis; in serial order, paged.',
  })
  @ApiOkResponse({ type: EstimatesPageDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'period or paging is malformed' })
  estimates(@Query() query: EstimatesQueryDto): Promise<EstimatesPageDto> {
    return this.list.page(query);
  }

  @Get('export')
  @ApiOperation({
    summary: "A billing period's estimates as CSV, for the billing system",
    description:
      'RFC 4180 with `;` between fields and CRLF line ends, UTF-8 with a byte order mark, ' +
      'decimals with a dot; columns in docs/integrators.md.',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'the CSV file' })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'period is malformed' })
  export(@Query() query: EstimatesExportQueryDto): StreamableFile {
    return csvFile(`estimates-${query.period}`, this.list.csv(query.period));
  }
}
