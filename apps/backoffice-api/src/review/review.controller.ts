import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentOperator } from '../auth/current-operator.decorator';
import type { OperatorPrincipal } from '../auth/operator-tokens';
import { Roles } from '../auth/roles.decorator';
import { ErrorResponseDto } from '../http/error-response.dto';
import { ApproveSwappedUseCase } from './approve-swapped.use-case';
import { ClaimReviewItemUseCase } from './claim-review-item.use-case';
import { DecideReviewItemUseCase } from './decide-review-item.use-case';
import { GetReviewItemUseCase } from './get-review-item.use-case';
import { ListReviewQueueUseCase } from './list-review-queue.use-case';
import {
  ApproveReviewDto,
  ApproveSwappedDto,
  ClaimResultDto,
  RejectReviewDto,
  ReviewDecisionResultDto,
  ReviewIdParamsDto,
  ReviewItemDetailDto,
  ReviewQueueDto,
  ReviewQueueQueryDto,
  SwapApprovalResultDto,
} from './review.dto';
import { ApiTooManyRequests } from '@gw/platform';

const NOT_FOUND = 'No such review item (unknown id, or a reading that never went to review)';
const CONFLICT =
  'Claimed by another operator (claimedBy, claimedUntil in the body), or already decided';

@ApiTags('review')
@Roles('operator')
@ApiTooManyRequests({ type: ErrorResponseDto })
@Controller('v1/review')
export class ReviewController {
  constructor(
    private readonly queue: ListReviewQueueUseCase,
    private readonly item: GetReviewItemUseCase,
    private readonly claims: ClaimReviewItemUseCase,
    private readonly decisions: DecideReviewItemUseCase,
    private readonly swaps: ApproveSwappedUseCase,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'The review queue',
    description:
      'Readings in status needs_review, oldest received first, with who holds each. Filters: ' +
      'channel, reason (CONSUMPTION_SPIKE, LOW_CONFIDENCE, SUSPECTED_SWAP), age in hours since ' +
      'receipt.',
  })
  @ApiOkResponse({ type: ReviewQueueDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'a filter is malformed' })
  list(@Query() query: ReviewQueueQueryDto): Promise<ReviewQueueDto> {
    return this.queue.execute(query);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'A review item with its meter, meter history and slip image reference',
    description: 'Also answers for decided items, with the decision.',
  })
  @ApiOkResponse({ type: ReviewItemDetailDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'id is not a UUID' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: NOT_FOUND })
  get(@Param() params: ReviewIdParamsDto): Promise<ReviewItemDetailDto> {
    return this.item.execute(params.id);
  }

  @Post(':id/claim')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Take the item, so no other operator works on it',
    description:
      'Holds for BACKOFFICE_CLAIM_TTL_SECONDS; claiming again extends it. Of two operators ' +
      'claiming at once exactly one gets 200, the other 409.',
  })
  @ApiOkResponse({ type: ClaimResultDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'id is not a UUID' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: NOT_FOUND })
  @ApiConflictResponse({ type: ErrorResponseDto, description: CONFLICT })
  claim(
    @Param() params: ReviewIdParamsDto,
    @CurrentOperator() operator: OperatorPrincipal,
  ): Promise<ClaimResultDto> {
    return this.claims.claim(params.id, operator);
  }

  @Post(':id/release')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Give the item back to the queue',
    description: "Your own claim; supervisors and admins may also free another operator's.",
  })
  @ApiNoContentResponse({ description: 'Released' })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'id is not a UUID' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: NOT_FOUND })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'You hold no claim on it (NOT_CLAIMED), or it is decided',
  })
  release(
    @Param() params: ReviewIdParamsDto,
    @CurrentOperator() operator: OperatorPrincipal,
  ): Promise<void> {
    return this.claims.release(params.id, operator);
  }

  @Post(':id/approve')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Accept the reading, optionally with corrected values',
    description:
      'The reading is validated again by the processing rules (with the corrected values if ' +
      'given); the review triggers no longer apply, any rejection answers 422 with its reasons ' +
      'and leaves the item open. Emits an outcome with the same submissionId.',
  })
  @ApiOkResponse({ type: ReviewDecisionResultDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'malformed id or body' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: NOT_FOUND })
  @ApiConflictResponse({ type: ErrorResponseDto, description: CONFLICT })
  @ApiUnprocessableEntityResponse({
    type: ErrorResponseDto,
    description: 'REVALIDATION_FAILED: the rules reject the reading (reasons in the body)',
  })
  approve(
    @Param() params: ReviewIdParamsDto,
    @Body() body: ApproveReviewDto,
    @CurrentOperator() operator: OperatorPrincipal,
  ): Promise<ReviewDecisionResultDto> {
    return this.decisions.approve(params.id, body, operator);
  }

  @Post(':id/approve-swapped')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: "Accept a suspected swap's value for the account's other water meter",
    description:
      'For a SUSPECTED_SWAP item: the reading is moved to the other water meter of the account ' +
      '(exactly one cold and one hot) and validated there by the processing rules; when that ' +
      "meter's reading of the same period is in review as a suspected swap too, it moves the " +
      'other way in the same decision. Emits one outcome per moved reading, with its ' +
      'submissionId and the meter it now counts for.',
  })
  @ApiOkResponse({ type: SwapApprovalResultDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'malformed id or body' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: NOT_FOUND })
  @ApiConflictResponse({ type: ErrorResponseDto, description: CONFLICT })
  @ApiUnprocessableEntityResponse({
    type: ErrorResponseDto,
    description:
      'NOT_SWAPPABLE: not a suspected swap, or the account has no single other water meter; ' +
      'REVALIDATION_FAILED: the rules reject the value on the other meter (reasons, meterSerial)',
  })
  approveSwapped(
    @Param() params: ReviewIdParamsDto,
    @Body() body: ApproveSwappedDto,
    @CurrentOperator() operator: OperatorPrincipal,
  ): Promise<SwapApprovalResultDto> {
    return this.swaps.execute(params.id, body, operator);
  }

  @Post(':id/reject')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Reject the reading with a comment',
    description:
      "The outcome's reasons are the codes given in `reasons`, or else the review reasons the " +
      'item had. Emits an outcome with the same submissionId.',
  })
  @ApiOkResponse({ type: ReviewDecisionResultDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'malformed id or body' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: NOT_FOUND })
  @ApiConflictResponse({ type: ErrorResponseDto, description: CONFLICT })
  reject(
    @Param() params: ReviewIdParamsDto,
    @Body() body: RejectReviewDto,
    @CurrentOperator() operator: OperatorPrincipal,
  ): Promise<ReviewDecisionResultDto> {
    return this.decisions.reject(params.id, body, operator);
  }
}
