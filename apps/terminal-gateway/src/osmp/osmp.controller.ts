import {
  applyDecorators,
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
  ApiBadRequestResponse,
  ApiBasicAuth,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import { CurrentTerminal, TerminalAuthGuard } from '../auth/terminal-auth.guard';
import type { AuthenticatedTerminal } from '../auth/terminal-authenticator';
import { OsmpDispatcher } from './osmp-dispatcher';
import { OsmpError } from './osmp-errors';
import { OsmpExceptionFilter } from './osmp-exception.filter';
import { collectParams } from './osmp-params';
import { OsmpRequestDto } from './osmp-request.dto';
import { OSMP_CONTENT_TYPE } from './osmp-xml';

const answer = (elements: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<response>${elements}</response>`;

/** An answer of each command: only a kept pay has a `prv_txn`, which status repeats. */
const EXAMPLES = {
  check: {
    summary: 'check: the account and its meters',
    value: answer(
      '<osmp_txn_id>1234567</osmp_txn_id><sum>0.00</sum><result>0</result><comment>OK</comment>' +
        '<meters><meter serial="19-123456" resource="electricity" zones="2" status="valid" ' +
        'due_on="2031-05-14" integer_digits="6" fraction_digits="1"/></meters>',
    ),
  },
  pay: {
    summary: 'pay: the readings are queued',
    value: answer(
      '<osmp_txn_id>1234568</osmp_txn_id><prv_txn>42</prv_txn><sum>0.00</sum>' +
        '<result>0</result><comment>OK</comment>',
    ),
  },
  status: {
    summary: "status: the processor's decision on each reading of a pay",
    value: answer(
      '<osmp_txn_id>1234568</osmp_txn_id><prv_txn>42</prv_txn><sum>0.00</sum>' +
        '<result>0</result><comment>OK</comment><readings><reading meter="1" serial="19-123456" ' +
        'submission_id="0b5c4f7e-2a1d-5c1e-9f5a-0d8a2b8e6c11" status="accepted" reasons="" ' +
        'warnings="" billing_period="2026-11"/></readings>',
    ),
  },
};

const RESULTS =
  'HTTP 200 with `result`: 0 OK; 1 temporary error, retry later; 4 wrong account format; 5 account not found; ' +
  '7 a reading failed the format checks (the comment says which); 300 any other error (`txn_id reused`, …).';

/** The HTTP answers of both methods, each with an OSMP XML body (integrators.md, Answers). */
const ApiOsmpAnswers = () =>
  applyDecorators(
    ApiProduces('text/xml'),
    ApiOkResponse({
      description: 'OSMP XML answer',
      schema: { type: 'string' },
      examples: EXAMPLES,
    }),
    ApiUnauthorizedResponse({
      description: 'result 300: wrong terminal credentials, or an address the terminal may not use',
    }),
    ApiTooManyRequestsResponse({
      description: 'result 1: too many requests from this address; see Retry-After (seconds)',
    }),
    ApiPayloadTooLargeResponse({
      description: 'result 300: the body is over 32 KiB, or the form has too many fields',
    }),
    ApiUnsupportedMediaTypeResponse({
      description:
        'result 300: a body that is not a form, a charset other than UTF-8 or ISO-8859-1, ' +
        'or an unsupported Content-Encoding',
    }),
    ApiBadRequestResponse({
      description:
        'result 300: U+0000 in a parameter, or a body cut short, not as long as its ' +
        'Content-Length or not decompressing as its Content-Encoding says',
    }),
  );

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
  @ApiOsmpAnswers()
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
  @ApiOsmpAnswers()
  post(
    @Query() query: Record<string, unknown>,
    @Body() body: Record<string, unknown>,
    @CurrentTerminal() terminal: AuthenticatedTerminal,
  ): Promise<string> {
    return this.osmp.handle(terminal, collectParams(query, body));
  }
}
