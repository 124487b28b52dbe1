import { runMain } from './run-main';

describe('runMain', () => {
  let written: string[];
  let exited: Promise<number>;

  beforeEach(() => {
    written = [];
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    exited = new Promise((resolve) => {
      jest.spyOn(process, 'exit').mockImplementation((code) => {
        resolve(Number(code));
        return undefined as never;
      });
    });
  });

  afterEach(() => jest.restoreAllMocks());

  it.each<[string, () => Promise<unknown>]>([
    [
      'thrown at once, as an invalid configuration is',
      () => {
        throw new Error('KAFKA_BROKERS: must name at least one host:port');
      },
    ],
    [
      'rejected later, as a failed start is',
      () => Promise.reject(new Error('KAFKA_BROKERS: must name at least one host:port')),
    ],
  ])('makes a failure %s one JSON line and exit code 1', async (_, start) => {
    expect(() => runMain('kiosk-gateway', start)).not.toThrow();
    expect(await exited).toBe(1);
    expect(written).toHaveLength(1);
    expect(written[0].endsWith('\n')).toBe(true);
    expect(JSON.parse(written[0])).toEqual({
      level: 'fatal',
      context: 'kiosk-gateway',
      message: 'KAFKA_BROKERS: must name at least one host:port',
    });
  });
});
