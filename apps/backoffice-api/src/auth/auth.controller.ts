import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ErrorResponseDto } from '../http/error-response.dto';
import { LoginRequestDto, LoginResponseDto } from './login.dto';
import { LoginUseCase } from './login.use-case';

@ApiTags('auth')
@Controller('v1/auth')
export class AuthController {
  constructor(private readonly loginUseCase: LoginUseCase) {}

  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Log in as an operator',
    description:
      'Operators are created with `npm run ctl -- operator add <login> --role <role>`. After ' +
      'BACKOFFICE_LOGIN_MAX_FAILURES failed attempts a login is refused with 429 for ' +
      'BACKOFFICE_LOGIN_LOCKOUT_SECONDS (counted per process).',
  })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'login or password missing' })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'wrong login or password' })
  @ApiTooManyRequestsResponse({
    type: ErrorResponseDto,
    description: 'too many failed attempts for this login; see Retry-After',
  })
  login(@Body() body: LoginRequestDto): Promise<LoginResponseDto> {
    return this.loginUseCase.execute(body.login, body.password);
  }
}
