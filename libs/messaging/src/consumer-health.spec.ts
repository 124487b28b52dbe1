import { ConsumerHealth } from './consumer-health';

const at = { topic: 'topic-a', partition: 3 };

describe('ConsumerHealth', () => {
  let now: number;
  let health: ConsumerHealth;
  beforeEach(() => {
    now = 1_000_000;
    health = new ConsumerHealth({ stallSeconds: 10, now: () => now });
  });

  it('is not healthy before the group is joined', () => {
    expect(health.healthy).toBe(false);
    health.joined({ 'topic-a': [3] });
    expect(health.healthy).toBe(true);
  });

  it('follows kafkajs through a crash it restarts from: down, then up again on the rejoin', () => {
    health.joined({ 'topic-a': [3] });
    health.crashed('Connection error: connect ECONNREFUSED');
    expect(health.healthy).toBe(false);
    expect(health.status).toMatchObject({
      running: false,
      lastError: 'Connection error: connect ECONNREFUSED',
    });
    health.joined({ 'topic-a': [3] });
    expect(health.healthy).toBe(true);
  });

  it('counts a fetch as running again too', () => {
    health.joined({});
    health.crashed('boom');
    health.fetching();
    expect(health.healthy).toBe(true);
  });

  it('stays down after a stop until joined again, forgetting the partitions it owned', () => {
    health.joined({ 'topic-a': [3, 4] });
    expect(health.stopped('gave up')).toEqual([at, { topic: 'topic-a', partition: 4 }]);
    health.fetching();
    health.touch();
    expect(health.status).toMatchObject({ lastError: 'gave up', stalled: [] });
    health.joined({ 'topic-a': [3] });
    expect(health.healthy).toBe(true);
  });

  it('goes unhealthy when the loop has been silent too long', () => {
    health.joined({});
    now += 29_999;
    expect(health.healthy).toBe(true);
    now += 1;
    expect(health.healthy).toBe(false);
    health.touch();
    expect(health.healthy).toBe(true);
  });

  it('names a stalled partition, and recovers once its commit moves', () => {
    health.joined({ 'topic-a': [3] });
    health.observed(at, 40, '100');
    now += 5_000;
    health.touch();
    expect(health.healthy).toBe(true);
    now += 5_000;
    health.touch();
    expect(health.healthy).toBe(false);
    expect(health.status.stalled).toEqual([{ ...at, lag: 40, stalledSeconds: 10 }]);
    health.committed(at, '140', 0);
    expect(health.healthy).toBe(true);
    expect(health.status.stalled).toEqual([]);
  });
});
