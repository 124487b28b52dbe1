import {
  Body,
  Controller,
  Delete,
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
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { toMoscowIso } from '@gw/domain';
import { LinkedAccountGuard } from '../auth/linked-account.guard';
import { ResidentAuthGuard, ResidentId } from '../auth/resident-auth.guard';
import { CabinetExceptionFilter } from '../cabinet-exception.filter';
import { ApiCheckedInput, ApiMailUnavailable } from '../cabinet-api-responses';
import { cabinetValidation } from '../cabinet-validation.pipe';
import { PaymentDocumentDto } from '../registration/registration.dto';
import {
  AccountLinksDto,
  AccountMetersDto,
  LinkedAccountDto,
  LinkedAccountsDto,
} from './account.dto';
import { LinkAccountUseCase } from './link-account.use-case';
import { ListAccountLinksUseCase } from './list-account-links.use-case';
import { ListAccountMetersUseCase } from './list-account-meters.use-case';
import { ListLinkedAccountsUseCase } from './list-linked-accounts.use-case';
import { RevokeAccountLinkUseCase } from './revoke-account-link.use-case';
import { ApiTooManyRequests } from '@gw/platform';

@ApiTags('accounts')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No valid session token' })
@ApiTooManyRequests()
@Controller('v1/cabinet/accounts')
@UseGuards(ResidentAuthGuard)
@UseFilters(CabinetExceptionFilter)
@UsePipes(cabinetValidation)
export class AccountController {
  constructor(
    private readonly linkedAccounts: ListLinkedAccountsUseCase,
    private readonly linkAccount: LinkAccountUseCase,
    private readonly listLinks: ListAccountLinksUseCase,
    private readonly listMeters: ListAccountMetersUseCase,
    private readonly revokeAccountLink: RevokeAccountLinkUseCase,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The accounts linked to the signed-in resident' })
  @ApiOkResponse({ type: LinkedAccountsDto })
  list(@ResidentId() residentId: string): Promise<LinkedAccountsDto> {
    return this.linkedAccounts.execute(residentId);
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Link one more account with one of its last three payment documents' })
  @ApiCreatedResponse({ type: LinkedAccountDto })
  @ApiUnprocessableEntityResponse({ description: 'PAYMENT_DOCUMENT_MISMATCH' })
  @ApiForbiddenResponse({ description: 'LINK_REVOKED: the account’s residents revoked your link' })
  @ApiTooManyRequests({ own: 'TOO_MANY_ATTEMPTS' })
  @ApiCheckedInput({ json: true })
  @ApiMailUnavailable("the notice to the account's other residents; no link was made")
  async link(
    @ResidentId() residentId: string,
    @Body() body: PaymentDocumentDto,
    @Ip() clientIp: string,
  ): Promise<LinkedAccountDto> {
    const linked = await this.linkAccount.execute(residentId, body, clientIp);
    return { accountNumber: linked.accountNumber, linkedAt: toMoscowIso(linked.linkedAt) };
  }

  @Get(':accountNumber/links')
  @UseGuards(LinkedAccountGuard)
  @ApiOperation({ summary: 'Every resident holding the account, and which links you may revoke' })
  @ApiOkResponse({ type: AccountLinksDto })
  @ApiNotFoundResponse({ description: 'ACCOUNT_NOT_FOUND: not linked to this resident' })
  links(
    @ResidentId() residentId: string,
    @Param('accountNumber') accountNumber: string,
  ): Promise<AccountLinksDto> {
    return this.listLinks.execute(residentId, accountNumber);
  }

  @Delete(':accountNumber/links/:linkId')
  @HttpCode(204)
  @UseGuards(LinkedAccountGuard)
  @ApiOperation({
    summary:
      'Revoke a link made after yours: its resident loses the account and cannot link it again',
  })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiForbiddenResponse({
    description: 'LINK_NOT_REVOCABLE: your own link, or one older than yours',
  })
  @ApiNotFoundResponse({ description: 'ACCOUNT_NOT_FOUND, or LINK_NOT_FOUND on this account' })
  revokeLink(
    @ResidentId() residentId: string,
    @Param('accountNumber') accountNumber: string,
    @Param('linkId') linkId: string,
  ): Promise<void> {
    return this.revokeAccountLink.execute(residentId, accountNumber, linkId);
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
