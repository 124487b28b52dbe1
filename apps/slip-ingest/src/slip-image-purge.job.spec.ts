import { Logger } from '@nestjs/common';
import type { SlipImageRepository } from './persistence/slip-image.repository';
import { SlipImagePurgeJob } from './slip-image-purge.job';
import type { SlipIngestOptions } from './slip-ingest.env';

describe('SlipImagePurgeJob', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('deletes in chunks of 500 until a chunk comes back short, before the retention cutoff', async () => {
    const calls: { cutoff: Date; limit: number }[] = [];
    const left = [500, 500, 12];
    const images = {
      deleteReceivedBefore: async (cutoff: Date, limit: number) => {
        calls.push({ cutoff, limit });
        return left.shift() ?? 0;
      },
    };
    const job = new SlipImagePurgeJob(
      images as unknown as SlipImageRepository,
      {
        imageRetentionDays: 30,
      } as SlipIngestOptions,
    );
    expect(await job.purge(new Date('2026-12-31T00:00:00Z'))).toBe(1012);
    expect(calls).toEqual(
      [1, 2, 3].map(() => ({ cutoff: new Date('2026-12-01T00:00:00Z'), limit: 500 })),
    );
  });
});
