import { PartitionProgress } from './partition-progress';

const T = 'topic-a';
const p0 = { topic: T, partition: 0 };
const p1 = { topic: T, partition: 1 };
const STALL = 60_000;

describe('PartitionProgress', () => {
  let progress: PartitionProgress;
  beforeEach(() => {
    progress = new PartitionProgress();
    progress.assign({ [T]: [0, 1] }, 0);
  });

  it('counts a partition with lag whose commit does not move as stalled after the stall time', () => {
    progress.observe(p0, { lag: 5, committed: '10' }, 1_000);
    expect(progress.stalled(60_999, STALL)).toEqual([]);
    expect(progress.stalled(61_000, STALL)).toEqual([{ ...p0, lag: 5, stalledSeconds: 60 }]);
  });

  it('restarts the clock when the committed offset moves', () => {
    progress.observe(p0, { lag: 5, committed: '10' }, 0);
    progress.observe(p0, { lag: 5, committed: '12' }, 50_000);
    expect(progress.stalled(100_000, STALL)).toEqual([]);
    expect(progress.stalled(110_000, STALL)).toHaveLength(1);
  });

  it('does not restart the clock for the same committed offset or a lag-only reading', () => {
    progress.observe(p0, { lag: 5, committed: '10' }, 0);
    progress.observe(p0, { lag: 9, committed: '10' }, 30_000);
    progress.observe(p0, { lag: 12 }, 50_000);
    expect(progress.stalled(60_000, STALL)).toEqual([{ ...p0, lag: 12, stalledSeconds: 60 }]);
  });

  it('never counts an idle, caught-up partition, and counts from when it was last seen caught up', () => {
    progress.observe(p1, { lag: 0, committed: '7' }, 100_000);
    progress.observe(p1, { lag: 0, committed: '7' }, 490_000);
    expect(progress.stalled(500_000, STALL)).toEqual([]);
    progress.observe(p1, { lag: 3, committed: '7' }, 500_000);
    expect(progress.stalled(490_000 + STALL - 1, STALL)).toEqual([]);
    expect(progress.stalled(490_000 + STALL, STALL)).toEqual([
      { ...p1, lag: 3, stalledSeconds: 60 },
    ]);
  });

  it('gives a partition just taken over the full stall time and keeps the history of those kept', () => {
    progress.observe(p0, { lag: 5, committed: '10' }, 0);
    const revoked = progress.assign({ [T]: [0, 2] }, 40_000);
    expect(revoked).toEqual([p1]);
    progress.observe({ topic: T, partition: 2 }, { lag: 8 }, 40_000);
    expect(progress.stalled(60_000, STALL).map((s) => s.partition)).toEqual([0]);
    expect(progress.stalled(100_000, STALL).map((s) => s.partition)).toEqual([0, 2]);
  });

  it('ignores readings of partitions it does not own, and forgets all on clear', () => {
    progress.observe({ topic: T, partition: 9 }, { lag: 5 }, 0);
    expect(progress.assigned()).toEqual([p0, p1]);
    progress.observe(p0, { lag: 5 }, 0);
    expect(progress.clear()).toEqual([p0, p1]);
    expect(progress.stalled(1_000_000, STALL)).toEqual([]);
  });
});
