import { QueryFailedError } from 'typeorm';
import { runMain } from './run-main';

describe('runMain', () => {
  let written: string[];
  let exited: Promise<number>;
  let handlers: Map<string, (...args: unknown[]) => void>;

  beforeEach(() => {
    written = [];
    handlers = new Map();
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
    jest.spyOn(process, 'on').mockImplementation((event, handler) => {
      handlers.set(String(event), handler);
      return process;
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

  it("makes an error nothing handled one JSON line of the error's name, message and stack, and exit code 1", async () => {
    runMain('backoffice-api', () => new Promise(() => undefined));
    const driverError = Object.assign(new Error('duplicate key value violates unique constraint'), {
      detail: 'Key (login)=(ivanov@example.ru) already exists.',
    });
    const error = new QueryFailedError(
      'UPDATE operators SET password_hash = $1 WHERE login = $2',
      ['scrypt$16384$8$1$SECRET', 'ivanov@example.ru'],
      driverError,
    );
    expect(handlers.get('uncaughtException')).toEqual(expect.any(Function));
    // Node hands an unhandled rejection to the same listener, with this origin.
    handlers.get('uncaughtException')?.(error, 'unhandledRejection');
    expect(await exited).toBe(1);
    expect(written).toHaveLength(1);
    expect(JSON.parse(written[0])).toEqual({
      level: 'fatal',
      context: 'backoffice-api',
      origin: 'unhandledRejection',
      name: 'QueryFailedError',
      message: 'duplicate key value violates unique constraint',
      stack: error.stack,
    });
    expect(written[0]).not.toMatch(/SECRET|ivanov|password_hash/);
  });

  it('writes a rejection that is not an Error as text', async () => {
    runMain('terminal-gateway', () => new Promise(() => undefined));
    expect(handlers.get('uncaughtException')).toEqual(expect.any(Function));
    handlers.get('uncaughtException')?.('gone', 'uncaughtException');
    expect(await exited).toBe(1);
    expect(JSON.parse(written[0])).toEqual({
      level: 'fatal',
      context: 'terminal-gateway',
      origin: 'uncaughtException',
      name: 'string',
      message: 'gone',
    });
  });
});
