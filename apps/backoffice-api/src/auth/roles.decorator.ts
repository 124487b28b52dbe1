import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { OperatorRole } from '@gw/persistence';
import { ErrorResponseDto } from '../http/error-response.dto';
import { OperatorAuthGuard, REQUIRED_ROLE } from './operator-auth.guard';

/**
 * The route (or every route of the controller) needs an operator token of `role` or above
 * (operator < supervisor < admin), e.g. `@Roles('supervisor')`; documented as bearer auth.
 */
export function Roles(role: OperatorRole) {
  return applyDecorators(
    SetMetadata(REQUIRED_ROLE, role),
    UseGuards(OperatorAuthGuard),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({
      type: ErrorResponseDto,
      description: 'No bearer token, or a forged or expired one',
    }),
    ApiForbiddenResponse({
      type: ErrorResponseDto,
      description: `Needs the role ${role} or above`,
    }),
  );
}
