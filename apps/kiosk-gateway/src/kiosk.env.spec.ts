import { loadConfig } from '@gw/platform';
import { KioskEnv } from './kiosk.env';

const threads = (value: string) =>
  loadConfig(KioskEnv, { GATEWAY_MODE: 'development', KIOSK_WORKER_THREADS: value })
    .KIOSK_WORKER_THREADS;

describe('KIOSK_WORKER_THREADS', () => {
  it('takes 0 (the event loop) to 64 worker threads and refuses the rest at boot', () => {
    expect(threads('0')).toBe(0);
    expect(threads('64')).toBe(64);
    expect(() => threads('-1')).toThrow('KIOSK_WORKER_THREADS must not be less than 0');
    expect(() => threads('65')).toThrow('KIOSK_WORKER_THREADS must not be greater than 64');
    expect(() => threads('2.5')).toThrow('KIOSK_WORKER_THREADS must be an integer number');
  });
});

describe('KIOSK_SUBMISSION_TOPIC', () => {
  it.each(['', 'meter readings', 'x'.repeat(250)])('refuses %p at boot, naming it', (value) => {
    expect(() =>
      loadConfig(KioskEnv, { GATEWAY_MODE: 'development', KIOSK_SUBMISSION_TOPIC: value }),
    ).toThrow('KIOSK_SUBMISSION_TOPIC must be a Kafka topic name');
  });
});
