import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Post,
  Query,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBasicAuth,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { CurrentTerminal, TerminalAuthGuard } from '../auth/terminal-auth.guard';
import type { AuthenticatedTerminal } from '../auth/terminal-authenticator';
import { OsmpDispatcher } from './osmp-dispatcher';
import { OsmpError } from './osmp-errors';
import { OsmpExceptionFilter } from './osmp-exception.filter';
import { collectParams } from './osmp-params';
import { OsmpRequestDto } from './osmp-request.dto';
import { OSMP_CONTENT_TYPE } from './osmp-xml';

const EXAMPLE =
  '<?xml version="1.0" encoding="UTF-8"?>\n<response><osmp_txn_id>1234567</osmp_txn_id><prv_txn>42</prv_txn>' +
  '<sum>0.00</sum><result>0</result><comment>OK</comment></response>';

const RESULTS =
  'HTTP 200 with `result`: 0 OK; 1 temporary error, retry later; 4 wrong account format; 5 account not found; ' +
  '7 a reading failed the format checks (the comment says which); 300 any other error (`txn_id reused`, …).';

/** Payment terminals, OSMP style (contract section 7.2). */
@ApiTags('terminal')
@ApiBasicAuth()
@Controller('v1/terminal/osmp')
@UseGuards(TerminalAuthGuard)
@UseFilters(OsmpExceptionFilter)
export class OsmpController {
  constructor(private readonly osmp: OsmpDispatcher) {}

  @Get()
  @HttpCode(200)
  @Header('Content-Type', OSMP_CONTENT_TYPE)
  @ApiOperation({
    summary: 'check, pay or status, parameters in the query string',
    description: RESULTS,
  })
  @ApiProduces('text/xml')
  @ApiOkResponse({ description: 'OSMP XML answer', schema: { type: 'string', example: EXAMPLE } })
  @ApiUnauthorizedResponse({
    description: 'Wrong terminal credentials, or an address the terminal may not use',
  })
  get(
    @Query() query: OsmpRequestDto,
    @Body() body: Record<string, unknown> | undefined,
    @CurrentTerminal() terminal: AuthenticatedTerminal,
  ): Promise<string> {
    // A form sent with a GET would be read past, and a pay answered OK without its readings.
    if (body && Object.keys(body).length > 0)
      throw new OsmpError(
        'BAD_REQUEST',
        'a GET carries its parameters in the query string: send a form body with POST',
      );
    return this.osmp.handle(terminal, collectParams(query));
  }

  @Post()
  @HttpCode(200)
  @Header('Content-Type', OSMP_CONTENT_TYPE)
  @ApiOperation({ summary: 'check, pay or status, parameters form-encoded', description: RESULTS })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ type: OsmpRequestDto })
  @ApiProduces('text/xml')
  @ApiOkResponse({ description: 'OSMP XML answer', schema: { type: 'string', example: EXAMPLE } })
  @ApiUnauthorizedResponse({
    description: 'Wrong terminal credentials, or an address the terminal may not use',
  })
  post(
    @Query() query: Record<string, unknown>,
    @Body() body: Record<string, unknown>,
    @CurrentTerminal() terminal: AuthenticatedTerminal,
  ): Promise<string> {
    return this.osmp.handle(terminal, collectParams(query, body));
  }
}
