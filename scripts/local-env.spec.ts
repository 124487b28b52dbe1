import { databaseOf } from './local-env';

describe('databaseOf', () => {
  it.each([
    [
      'postgres://postgres@127.0.0.1:5432/meter_gateway',
      'postgres://postgres@127.0.0.1:5432/postgres',
      'meter_gateway',
    ],
    [
      'postgres://gw:s%40cret@db.internal:6432/readings?sslmode=require',
      'postgres://gw:s%40cret@db.internal:6432/postgres?sslmode=require',
      'readings',
    ],
    ['postgresql://localhost/my%20db', 'postgresql://localhost/postgres', 'my db'],
    ['postgres://127.0.0.1:5432', 'postgres://127.0.0.1:5432/postgres', ''],
  ])('%s: server %s, database "%s"', (url, server, name) => {
    expect(databaseOf(url)).toEqual({ server, name });
  });
});
