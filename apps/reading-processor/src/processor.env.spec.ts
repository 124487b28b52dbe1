import { ConfigError, loadConfig } from '@gw/platform';
import { ProcessorEnv } from './processor.env';

const load = (settings: Record<string, string> = {}) =>
  loadConfig(ProcessorEnv, { GATEWAY_MODE: 'development', ...settings });

describe('ProcessorEnv', () => {
  it('defaults: from the beginning, reminders on, scheduled estimates off', () => {
    expect(load()).toMatchObject({
      PROCESSOR_FROM_BEGINNING: true,
      REMINDERS_ENABLED: true,
      ESTIMATES_SCHEDULE_ENABLED: false,
    });
  });

  it.each(['PROCESSOR_FROM_BEGINNING', 'REMINDERS_ENABLED', 'ESTIMATES_SCHEDULE_ENABLED'])(
    'reads %s as false when it is false and as true when it is true',
    (name) => {
      expect(load({ [name]: 'false' })).toMatchObject({ [name]: false });
      expect(load({ [name]: 'true' })).toMatchObject({ [name]: true });
    },
  );

  it.each(['yes', 'FALSE', '0', ''])('refuses REMINDERS_ENABLED=%p at boot, naming it', (value) => {
    expect(() => load({ REMINDERS_ENABLED: value })).toThrow(ConfigError);
    expect(() => load({ REMINDERS_ENABLED: value })).toThrow(
      'REMINDERS_ENABLED must be true or false',
    );
  });

  it.each([
    ['100', 100],
    ['3600000', 3600000],
  ])('takes BILLING_JOBS_INTERVAL_MS=%s', (value, ms) => {
    expect(load({ BILLING_JOBS_INTERVAL_MS: value }).BILLING_JOBS_INTERVAL_MS).toBe(ms);
  });

  it.each([
    ['99', 'BILLING_JOBS_INTERVAL_MS must not be less than 100'],
    ['3600001', 'BILLING_JOBS_INTERVAL_MS must not be greater than 3600000'],
    ['3000000000', 'BILLING_JOBS_INTERVAL_MS must not be greater than 3600000'],
  ])('refuses BILLING_JOBS_INTERVAL_MS=%s at boot', (value, message) => {
    expect(() => load({ BILLING_JOBS_INTERVAL_MS: value })).toThrow(message);
  });

  it.each([
    ['PROCESSOR_GROUP_ID', '', 'PROCESSOR_GROUP_ID must not be empty'],
    ['PROCESSOR_TOPIC', '', 'PROCESSOR_TOPIC must be a Kafka topic name'],
    ['PROCESSOR_TOPIC', 'meter readings', 'PROCESSOR_TOPIC must be a Kafka topic name'],
  ])('refuses %s=%p at boot, naming it', (name, value, message) => {
    expect(() => load({ [name]: value })).toThrow(message);
  });
});
