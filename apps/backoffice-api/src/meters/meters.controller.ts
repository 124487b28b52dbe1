import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { ErrorResponseDto } from '../http/error-response.dto';
import { ListMeterReadingsUseCase } from './list-meter-readings.use-case';
import { MeterReadingsDto, MeterReadingsQueryDto, SerialParamsDto } from './meter-readings.dto';
import { ApiTooManyRequests } from '@gw/platform';

@ApiTags('meters')
@Roles('operator')
@ApiTooManyRequests({ type: ErrorResponseDto })
@Controller('v1/meters')
export class MetersController {
  constructor(private readonly listReadings: ListMeterReadingsUseCase) {}

  @Get(':serial/readings')
  @ApiOperation({
    summary: "A meter's readings with their statuses",
    description: 'Every recorded submission of the meter in the billing periods from..to.',
  })
  @ApiOkResponse({ type: MeterReadingsDto })
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'from or to not YYYY-MM, from after to, or a malformed serial',
  })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'no such meter in the registry' })
  readings(
    @Param() params: SerialParamsDto,
    @Query() query: MeterReadingsQueryDto,
  ): Promise<MeterReadingsDto> {
    return this.listReadings.execute(params.serial, {
      from: query.from ?? null,
      to: query.to ?? null,
    });
  }
}
