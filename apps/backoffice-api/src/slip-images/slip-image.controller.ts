import {
  type ArgumentsHost,
  Catch,
  Controller,
  type ExceptionFilter,
  Get,
  Param,
  Res,
  UseFilters,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiExcludeEndpoint,
  ApiNotFoundResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../auth/roles.decorator';
import { ErrorResponseDto } from '../http/error-response.dto';
import type { SlipImage } from '../persistence/slip-image.repository';
import { ReviewIdParamsDto } from '../review/review.dto';
import { WebForbidden, WebFormRejected, WebPage, WebSignInRequired } from '../web/web-auth.guard';
import { GetSlipImageUseCase } from './get-slip-image.use-case';
import { ApiTooManyRequests } from '@gw/platform';

/**
 * An image is fetched by the page, not visited: no session is a 401 and a missing role a 403,
 * rather than the sign-in page the UI's other routes redirect to.
 */
@Catch(WebSignInRequired, WebForbidden, WebFormRejected)
class SlipImageAuthFilter implements ExceptionFilter {
  catch(error: Error, host: ArgumentsHost): void {
    const status = error instanceof WebSignInRequired ? 401 : 403;
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(status)
      .set('Cache-Control', 'no-store')
      .json({ statusCode: status, message: status === 401 ? 'sign in first' : error.message });
  }
}

/**
 * Sends the stored bytes as what they were sniffed to be on upload. The browser must not guess
 * (nosniff), the image runs nothing if opened on its own (CSP sandbox), and only the operator's
 * browser may keep it, briefly: Express adds an ETag and answers a revalidation with 304.
 */
function sendSlipImage(res: Response, image: SlipImage): void {
  res
    .set({
      'Content-Type': image.contentType,
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Cache-Control': 'private, max-age=600',
      'Last-Modified': image.receivedAt.toUTCString(),
    })
    .send(image.bytes);
}

@ApiTags('review')
@ApiTooManyRequests({ type: ErrorResponseDto })
@Controller()
export class SlipImageController {
  constructor(private readonly images: GetSlipImageUseCase) {}

  @Get('v1/review/:id/slip-image')
  @Roles('operator')
  @ApiOperation({
    summary: "The scanned slip of a paper-slip reading, as the scanning centre's upload sent it",
  })
  @ApiProduces('image/jpeg', 'image/png', 'image/webp')
  @ApiResponse({ status: 200, description: 'The image bytes' })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'id is not a UUID' })
  @ApiNotFoundResponse({
    type: ErrorResponseDto,
    description: 'No image: not a slip, sent without one, or past its retention',
  })
  async api(@Param() params: ReviewIdParamsDto, @Res() res: Response): Promise<void> {
    sendSlipImage(res, await this.images.execute(params.id));
  }

  /** The same for the web UI's review page, signed in by its session cookie. */
  @Get('review/:id/slip-image')
  @ApiExcludeEndpoint()
  @WebPage('operator')
  @UseFilters(SlipImageAuthFilter)
  async web(@Param() params: ReviewIdParamsDto, @Res() res: Response): Promise<void> {
    sendSlipImage(res, await this.images.execute(params.id));
  }
}
