import { Controller, Get, Param } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { ErrorResponseDto } from '../http/error-response.dto';
import { GetSubmissionUseCase } from './get-submission.use-case';
import { SubmissionDto, SubmissionParamsDto } from './submission.dto';

@ApiTags('submissions')
@Roles('operator')
@Controller('v1/submissions')
export class SubmissionsController {
  constructor(private readonly getSubmission: GetSubmissionUseCase) {}

  @Get(':submissionId')
  @ApiOperation({
    summary: 'A submission and its current status',
    description:
      'Answers 404 until the reading-processor has recorded the submission (normally within a ' +
      'second of the channel accepting it) and for an id never submitted; a malformed id is 400.',
  })
  @ApiOkResponse({ type: SubmissionDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'submissionId is not a UUID' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'not (yet) recorded' })
  get(@Param() params: SubmissionParamsDto): Promise<SubmissionDto> {
    return this.getSubmission.execute(params.submissionId);
  }
}
