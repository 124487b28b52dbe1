import type { INestApplication } from '@nestjs/common';
import { loadConfig } from '@gw/platform';
import { bootstrap } from '../../apps/reading-processor/src/main';
import { ProcessorEnv } from '../../apps/reading-processor/src/processor.env';
import { testGroup } from './infra';

/** The real reading-processor, in this process, consuming with this run's group. */
export async function startProcessor(env: Record<string, string> = {}): Promise<INestApplication> {
  return bootstrap(
    loadConfig(ProcessorEnv, {
      ...process.env,
      READING_PROCESSOR_PORT: '0',
      PROCESSOR_GROUP_ID: testGroup('reading-processor'),
      LOG_LEVEL: 'warn',
      ...env,
    }),
  );
}
