import { join, resolve } from 'node:path';

export const TEST_ENV_FILE = join(resolve(__dirname, '..', '..'), '.data', 'test-env.json');
export const TEST_PARTITIONS = 6;
