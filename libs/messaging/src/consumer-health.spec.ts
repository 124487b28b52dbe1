import { ConsumerHealth } from './consumer-health';

const at = { topic: 'topic-a', partition: 3 };

describe('ConsumerHealth', () => {
  let now: number;
  let health: ConsumerHealth;
  beforeEach(() => {
    now = 1_000_000;
    health = new ConsumerHealth({ stallSeconds: 10, now: () => now });
  });

  /** Joins with `assignment` and has broker 1 answer one fetch, as a consumer starting does. */
  const running = (assignment: Record<string, number[]> = {}) => {
    health.joined(assignment);
    health.fetching(1);
    health.fetched(1);
  };

  it('is not healthy before the group is joined and a fetch came back', () => {
    expect(health.healthy).toBe(false);
    health.joined({ 'topic-a': [3] });
    expect(health.healthy).toBe(false);
    health.fetching(1);
    expect(health.healthy).toBe(false);
    expect(health.fetched(1)).toBe(true);
    expect(health.healthy).toBe(true);
  });

  it('waits for every broker fetched from: one that never answers keeps it down', () => {
    health.joined({ 'topic-a': [3, 4] });
    health.fetching(1);
    health.fetching(2);
    expect(health.fetched(2)).toBe(false);
    health.fetching(2);
    expect(health.fetched(2)).toBe(false);
    expect(health.healthy).toBe(false);
    expect(health.fetched(1)).toBe(true);
    expect(health.healthy).toBe(true);
  });

  it('is not kept from running by a broker that answered and fetches again', () => {
    health.joined({});
    health.fetching(1);
    health.fetching(2);
    health.fetched(1);
    health.fetching(1);
    expect(health.fetched(2)).toBe(true);
  });

  it('says it got running once only, until it is down again', () => {
    running();
    health.fetching(1);
    expect(health.fetched(1)).toBe(false);
    health.joined({});
    health.fetching(1);
    expect(health.fetched(1)).toBe(false);
    health.crashed('boom');
    health.joined({});
    health.fetching(1);
    expect(health.fetched(1)).toBe(true);
  });

  it('stays up through a rejoin kafkajs does on its own (a rebalance)', () => {
    running({ 'topic-a': [3] });
    health.joined({ 'topic-a': [3, 4] });
    expect(health.healthy).toBe(true);
  });

  it('follows kafkajs through a crash it restarts from: down, up again on the first fetch', () => {
    running({ 'topic-a': [3] });
    health.crashed('Connection error: connect ECONNREFUSED');
    expect(health.healthy).toBe(false);
    expect(health.status).toMatchObject({
      running: false,
      lastError: 'Connection error: connect ECONNREFUSED',
    });
    health.joined({ 'topic-a': [3] });
    expect(health.healthy).toBe(false);
    health.fetching(1);
    health.fetched(1);
    expect(health.healthy).toBe(true);
  });

  it('stays down through a consumer that joins and crashes before its first fetch comes back', () => {
    running({ 'topic-a': [3] });
    health.stopped('LZ4 compression not implemented');
    for (let i = 0; i < 3; i += 1) {
      health.joined({ 'topic-a': [3] });
      health.fetching(1);
      expect(health.healthy).toBe(false);
      health.stopped('LZ4 compression not implemented');
    }
    expect(health.status).toMatchObject({
      running: false,
      lastError: 'LZ4 compression not implemented',
    });
  });

  it('stays down after a stop until joined again, forgetting the partitions it owned', () => {
    health.joined({ 'topic-a': [3, 4] });
    expect(health.stopped('gave up')).toEqual([at, { topic: 'topic-a', partition: 4 }]);
    health.fetching(1);
    health.touch();
    expect(health.status).toMatchObject({ lastError: 'gave up', stalled: [] });
    running({ 'topic-a': [3] });
    expect(health.healthy).toBe(true);
  });

  it('goes unhealthy when the loop has been silent too long', () => {
    running();
    now += 29_999;
    expect(health.healthy).toBe(true);
    now += 1;
    expect(health.healthy).toBe(false);
    health.touch();
    expect(health.healthy).toBe(true);
  });

  it('names a stalled partition, and recovers once its commit moves', () => {
    running({ 'topic-a': [3] });
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
