import {
  Body,
  Controller,
  Get,
  HttpCode,
  Ip,
  Param,
  Post,
  UseFilters,
  UseGuards,
  UsePipes,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { toMoscowIso } from '@gw/domain';
import { LinkedAccountGuard } from '../auth/linked-account.guard';
import { ResidentAuthGuard, ResidentId } from '../auth/resident-auth.guard';
import { CabinetExceptionFilter } from '../cabinet-exception.filter';
import { cabinetValidation } from '../cabinet-validation.pipe';
import { ResidentRepository } from '../persistence/resident.repository';
import { PaymentDocumentDto } from '../registration/registration.dto';
import { AccountMetersDto, LinkedAccountDto, LinkedAccountsDto } from './account.dto';
import { LinkAccountUseCase } from './link-account.use-case';
import { ListAccountMetersUseCase } from './list-account-meters.use-case';

@ApiTags('accounts')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No valid session token' })
@Controller('v1/cabinet/accounts')
@UseGuards(ResidentAuthGuard)
@UseFilters(CabinetExceptionFilter)
@UsePipes(cabinetValidation)
export class AccountController {
  constructor(
    private readonly residents: ResidentRepository,
    private readonly linkAccount: LinkAccountUseCase,
    private readonly listMeters: ListAccountMetersUseCase,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The accounts linked to the signed-in resident' })
  @ApiOkResponse({ type: LinkedAccountsDto })
  async list(@ResidentId() residentId: string): Promise<LinkedAccountsDto> {
    const accounts = await this.residents.listAccounts(residentId);
    return { accounts: accounts.map((a) => ({ ...a, linkedAt: toMoscowIso(a.linkedAt) })) };
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Link one more account with one of its last three payment documents' })
  @ApiCreatedResponse({ type: LinkedAccountDto })
  @ApiUnprocessableEntityResponse({ description: 'PAYMENT_DOCUMENT_MISMATCH' })
  @ApiTooManyRequestsResponse({ description: 'TOO_MANY_ATTEMPTS; see Retry-After' })
  async link(
    @ResidentId() residentId: string,
    @Body() body: PaymentDocumentDto,
    @Ip() clientIp: string,
  ): Promise<LinkedAccountDto> {
    const linked = await this.linkAccount.execute(residentId, body, clientIp);
    return { accountNumber: linked.accountNumber, linkedAt: toMoscowIso(linked.linkedAt) };
  }

  @Get(':accountNumber/meters')
  @UseGuards(LinkedAccountGuard)
  @ApiOperation({
    summary: 'Meters with verification status and due date, last accepted values and the window',
  })
  @ApiOkResponse({ type: AccountMetersDto })
  @ApiNotFoundResponse({ description: 'ACCOUNT_NOT_FOUND: not linked to this resident' })
  meters(@Param('accountNumber') accountNumber: string): Promise<AccountMetersDto> {
    return this.listMeters.execute(accountNumber);
  }
}
