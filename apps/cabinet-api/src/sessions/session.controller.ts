import {
  Body,
  Controller,
  Delete,
  HttpCode,
  Ip,
  Post,
  UseFilters,
  UseGuards,
  UsePipes,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { ONE_TIME_CODE, toMoscowIso } from '@gw/domain';
import { CurrentResidentSession, ResidentAuthGuard } from '../auth/resident-auth.guard';
import { type ResidentSession, SessionTokens } from '../auth/session-tokens.service';
import { CabinetExceptionFilter } from '../cabinet-exception.filter';
import { ApiCheckedInput, ApiMailUnavailable } from '../cabinet-api-responses';
import { cabinetValidation } from '../cabinet-validation.pipe';
import { SessionDto } from '../registration/registration.dto';
import { ConfirmSignInUseCase } from './confirm-sign-in.use-case';
import { RequestSignInCodeUseCase } from './request-sign-in-code.use-case';
import { CodeSentDto, SignInConfirmDto, SignInRequestDto } from './session.dto';
import { ApiTooManyRequests } from '@gw/platform';

@ApiTags('sessions')
@ApiTooManyRequests()
@Controller('v1/cabinet/sessions')
@UseFilters(CabinetExceptionFilter)
@UsePipes(cabinetValidation)
export class SessionController {
  constructor(
    private readonly requestCode: RequestSignInCodeUseCase,
    private readonly confirmCode: ConfirmSignInUseCase,
    private readonly tokens: SessionTokens,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'E-mail a sign-in code (the same answer for any address)' })
  @ApiAcceptedResponse({ type: CodeSentDto })
  @ApiTooManyRequests({ own: 'TOO_MANY_CODES' })
  @ApiCheckedInput({ json: true })
  @ApiMailUnavailable('the code')
  async create(@Body() body: SignInRequestDto, @Ip() clientIp: string): Promise<CodeSentDto> {
    await this.requestCode.execute(body.email, clientIp);
    return { expiresInSeconds: ONE_TIME_CODE.ttlMs / 1000 };
  }

  @Post('confirm')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with the e-mailed code' })
  @ApiOkResponse({ type: SessionDto })
  @ApiUnprocessableEntityResponse({
    description: 'CODE_INVALID, CODE_EXPIRED or CODE_ATTEMPTS_EXHAUSTED',
  })
  @ApiTooManyRequests({ own: 'TOO_MANY_ATTEMPTS' })
  @ApiCheckedInput({ json: true })
  async confirm(@Body() body: SignInConfirmDto, @Ip() clientIp: string): Promise<SessionDto> {
    const session = await this.confirmCode.execute(body.email, body.code, clientIp);
    return { token: session.token, expiresAt: toMoscowIso(session.expiresAt) };
  }

  @Delete('current')
  @HttpCode(204)
  @UseGuards(ResidentAuthGuard)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Log out: the token of this session is refused from now on',
    description: "The resident's other sessions (other devices) go on.",
  })
  @ApiNoContentResponse({ description: 'the session has ended' })
  @ApiUnauthorizedResponse({ description: 'no valid session token (or already logged out)' })
  signOut(@CurrentResidentSession() session: ResidentSession): Promise<void> {
    return this.tokens.end(session);
  }
}
