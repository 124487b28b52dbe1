import { Controller, Get, Param } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { ErrorResponseDto } from '../http/error-response.dto';
import { GetSubmissionUseCase } from './get-submission.use-case';
import { SubmissionDto } from './submission.dto';
import { ApiTooManyRequests } from '@gw/platform';

@ApiTags('submissions')
@Roles('operator')
@ApiTooManyRequests({ type: ErrorResponseDto })
@Controller('v1/submissions')
export class SubmissionsController {
  constructor(private readonly getSubmission: GetSubmissionUseCase) {}

  @Get(':submissionId')
  @ApiOperation({
    summary: 'A submission and its current status',
    description:
      'Answers 404 until the reading-processor has recorded the submission (normally within a ' +
      'second of the channel accepting it) and for an id never submitted, a UUID or not.',
  })
  @ApiParam({
    name: 'submissionId',
    format: 'uuid',
    example: '0b5c4f7e-2a1d-5c1e-9f5a-0d8a2b8e6c11',
  })
  @ApiOkResponse({ type: SubmissionDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'not (yet) recorded' })
  get(@Param('submissionId') submissionId: string): Promise<SubmissionDto> {
    return this.getSubmission.execute(submissionId);
  }
}
