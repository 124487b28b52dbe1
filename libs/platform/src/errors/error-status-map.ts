import type { DomainError } from './domain.error';

/**
 * Every code of an app's error union and how its edge answers it (an HTTP status, an OSMP result
 * code). Keyed by the union, so a code without an answer fails `npm run typecheck`.
 */
export type ErrorStatusMap<Code extends string, Answer = number> = { readonly [C in Code]: Answer };

/**
 * The map for the errors of `E`. An error class whose code is any string has no union to be
 * exhaustive over and is refused at compile time: it must narrow `code` to its codes.
 */
export type StatusMapOf<E extends DomainError, Answer = number> = string extends E['code']
  ? never
  : ErrorStatusMap<E['code'], Answer>;
