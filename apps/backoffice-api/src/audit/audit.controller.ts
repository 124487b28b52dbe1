import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { ErrorResponseDto } from '../http/error-response.dto';
import { AuditPageDto, AuditQueryDto } from './audit.dto';
import { ListAuditLogUseCase } from './list-audit-log.use-case';
import { ApiTooManyRequests } from '@gw/platform';

@ApiTags('audit')
@Roles('admin')
@ApiTooManyRequests({ type: ErrorResponseDto })
@Controller('v1/audit')
export class AuditController {
  constructor(private readonly list: ListAuditLogUseCase) {}

  @Get()
  @ApiOperation({
    summary: 'The audit log of operator actions',
    description:
      'Who did what, when, on which subject, with the state before and after. Append-only: ' +
      'entries are written in the transaction of their action and can never be changed.',
  })
  @ApiOkResponse({ type: AuditPageDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'a filter is malformed' })
  entries(@Query() query: AuditQueryDto): Promise<AuditPageDto> {
    return this.list.execute(query);
  }
}
