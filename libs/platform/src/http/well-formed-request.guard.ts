import { BadRequestException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { inputProblem } from './input-problem';
import { deferredParsingError } from './request-parsing';

/** Input no handler can take (U+0000, nesting too deep), named by its path: web pages tell it apart. */
export class UnfitInputException extends BadRequestException {}

/**
 * The first check of every HTTP route, before authentication and validation: a body a parser
 * refused, input nested too deeply for the validators, or U+0000 anywhere in the body, query or
 * path parameters is a 4xx here. Being a guard, it runs inside the route, so the route's own
 * exception filters answer in the edge's format.
 */
export class WellFormedRequestGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    const refusal = deferredParsingError(req);
    if (refusal) throw refusal;
    const problem =
      inputProblem(req.params, 'path') ??
      inputProblem(req.query, 'query') ??
      inputProblem(req.body, 'body');
    if (problem) throw new UnfitInputException(problem);
    return true;
  }
}
