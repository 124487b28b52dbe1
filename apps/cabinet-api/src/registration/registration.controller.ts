import { Body, Controller, HttpCode, Ip, Param, Post, UseFilters, UsePipes } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { toMoscowIso } from '@gw/domain';
import { CabinetExceptionFilter } from '../cabinet-exception.filter';
import { ApiCheckedInput, ApiMailUnavailable } from '../cabinet-api-responses';
import { cabinetValidation } from '../cabinet-validation.pipe';
import { ConfirmRegistrationUseCase } from './confirm-registration.use-case';
import { RegisterResidentUseCase } from './register-resident.use-case';
import {
  CodeDto,
  RegistrationCreatedDto,
  RegistrationRequestDto,
  SessionDto,
} from './registration.dto';
import { ApiTooManyRequests } from '@gw/platform';

@ApiTags('registration')
@Controller('v1/cabinet/registrations')
@UseFilters(CabinetExceptionFilter)
@UsePipes(cabinetValidation)
export class RegistrationController {
  constructor(
    private readonly register: RegisterResidentUseCase,
    private readonly confirm: ConfirmRegistrationUseCase,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Register with a payment document (ЕПД); e-mails a code' })
  @ApiAcceptedResponse({ type: RegistrationCreatedDto })
  @ApiUnprocessableEntityResponse({
    description: 'PAYMENT_DOCUMENT_MISMATCH, the same for any wrong detail',
  })
  @ApiTooManyRequests({ own: 'TOO_MANY_ATTEMPTS or TOO_MANY_CODES' })
  @ApiCheckedInput({ json: true })
  @ApiMailUnavailable('the code')
  create(@Body() body: RegistrationRequestDto, @Ip() clientIp: string) {
    return this.register.execute({ ...body, clientIp });
  }

  @Post(':registrationId/confirm')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm the registration with the e-mailed code; signs in' })
  @ApiOkResponse({ type: SessionDto })
  @ApiNotFoundResponse({ description: 'REGISTRATION_NOT_FOUND' })
  @ApiUnprocessableEntityResponse({
    description: 'CODE_INVALID, CODE_EXPIRED or CODE_ATTEMPTS_EXHAUSTED',
  })
  @ApiForbiddenResponse({
    description: 'LINK_REVOKED: the account’s residents revoked your link; nothing was confirmed',
  })
  @ApiTooManyRequests({ own: 'TOO_MANY_ATTEMPTS' })
  @ApiCheckedInput({ json: true })
  @ApiMailUnavailable("the notice to the account's other residents; nothing was confirmed")
  async confirmCode(
    @Param('registrationId') registrationId: string,
    @Body() body: CodeDto,
    @Ip() clientIp: string,
  ): Promise<SessionDto> {
    const session = await this.confirm.execute(registrationId, body.code, clientIp);
    return { token: session.token, expiresAt: toMoscowIso(session.expiresAt) };
  }
}
