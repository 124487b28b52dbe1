import type { EntityManager } from 'typeorm';

/**
 * An open transaction as repositories take it. Use cases hand it from one repository to the next
 * without importing the ORM behind it.
 */
export type Transaction = EntityManager;
