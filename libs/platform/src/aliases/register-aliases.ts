import { resolve } from 'node:path';
import { register } from 'tsconfig-paths';

/**
 * Resolves the `@gw/<lib>` imports at run time, in the built output (`dist/libs/<lib>/src`) as in
 * the sources (`libs/<lib>/src`): both lie four levels above this file. The compiler leaves the
 * aliases of tsconfig.json as they are, so every entry point of the built output calls this first.
 */
export function registerAliases(): void {
  register({
    baseUrl: resolve(__dirname, '..', '..', '..', '..'),
    paths: { '@gw/*': ['libs/*/src'] },
  });
}

/** This module's file, for worker threads, which resolve modules on their own. */
export const REGISTER_ALIASES = __filename;
