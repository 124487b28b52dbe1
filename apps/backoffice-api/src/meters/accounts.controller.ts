import { Controller, Get, Param } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { ErrorResponseDto } from '../http/error-response.dto';
import { AccountMetersDto, AccountParamsDto } from './account-meters.dto';
import { ListAccountMetersUseCase } from './list-account-meters.use-case';
import { ApiTooManyRequests } from '@gw/platform';

@ApiTags('meters')
@Roles('operator')
@ApiTooManyRequests({ type: ErrorResponseDto })
@Controller('v1/accounts')
export class AccountsController {
  constructor(private readonly listMeters: ListAccountMetersUseCase) {}

  @Get(':accountNumber/meters')
  @ApiOperation({
    summary: "An account's meters",
    description:
      'With verification due date and status (valid, due_soon, expired, decommissioned) and ' +
      'the last accepted values.',
  })
  @ApiOkResponse({ type: AccountMetersDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'accountNumber is not 10 digits' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'no such account in the registry' })
  meters(@Param() params: AccountParamsDto): Promise<AccountMetersDto> {
    return this.listMeters.execute(params.accountNumber);
  }
}
