import { Body, Controller, HttpCode, HttpStatus, Ip, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ErrorResponseDto } from '../http/error-response.dto';
import { LoginRequestDto, LoginResponseDto } from './login.dto';
import { CurrentOperator } from './current-operator.decorator';
import { LoginUseCase } from './login.use-case';
import { LogoutUseCase } from './logout.use-case';
import type { OperatorSession } from './operator-tokens';
import { Roles } from './roles.decorator';
import { ApiTooManyRequests } from '@gw/platform';

@ApiTags('auth')
@ApiTooManyRequests({ type: ErrorResponseDto })
@Controller('v1/auth')
export class AuthController {
  constructor(
    private readonly loginUseCase: LoginUseCase,
    private readonly logoutUseCase: LogoutUseCase,
  ) {}

  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Log in as an operator',
    description:
      'Operators are created with `npm run ctl -- operator add <login> --role <role>`. After ' +
      'BACKOFFICE_LOGIN_FREE_ATTEMPTS attempts for one login from one client IP, each further ' +
      'attempt must wait a delay that doubles every time (429 with Retry-After).',
  })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'login or password missing' })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'wrong login or password' })
  @ApiTooManyRequests({
    own: 'LOGIN_THROTTLED: too many attempts for this login from this address',
    type: ErrorResponseDto,
  })
  login(@Body() body: LoginRequestDto, @Ip() clientIp: string): Promise<LoginResponseDto> {
    return this.loginUseCase.execute(body.login, body.password, clientIp);
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Roles('operator')
  @ApiOperation({
    summary: 'Log out: end this session on the server',
    description:
      "The token sent is refused (401) by every instance from now on; the operator's other " +
      'sessions go on. `npm run ctl -- operator revoke <login>` ends all of them.',
  })
  @ApiNoContentResponse({ description: 'the session has ended' })
  logout(@CurrentOperator() session: OperatorSession): Promise<void> {
    return this.logoutUseCase.execute(session);
  }
}
