import { JsonObjectEnv } from './json-env';
import { ConfigError, loadConfig } from './load-config';

class PolicyEnv {
  @JsonObjectEnv('OVERRIDES must be a JSON object')
  OVERRIDES: Record<string, unknown> = {};
}

class CheckedEnv {
  @JsonObjectEnv('LIMITS must be a JSON object', (limits) =>
    Object.entries(limits).flatMap(([key, value]) =>
      typeof value === 'number' ? [] : [`${key} must be a number`],
    ),
  )
  LIMITS: Record<string, number> = {};
}

describe('JsonObjectEnv', () => {
  it('parses a JSON object once, at boot', () => {
    const env = loadConfig(PolicyEnv, {
      OVERRIDES: '{"2026-12":{"*":{"openDay":1,"closeDay":12}}}',
    });
    expect(env.OVERRIDES).toEqual({ '2026-12': { '*': { openDay: 1, closeDay: 12 } } });
  });

  it('keeps the default when the variable is absent', () => {
    expect(loadConfig(PolicyEnv, {}).OVERRIDES).toEqual({});
  });

  it.each([['not json'], ['[1,2]'], ['"text"'], ['42']])(
    'refuses %p, naming the variable and not echoing its value',
    (value) => {
      expect(() => loadConfig(PolicyEnv, { OVERRIDES: value })).toThrow(ConfigError);
      expect(() => loadConfig(PolicyEnv, { OVERRIDES: value })).toThrow(
        'OVERRIDES: OVERRIDES must be a JSON object',
      );
    },
  );

  it('refuses an object whose entries the check finds wrong, with every problem on one line', () => {
    expect(loadConfig(CheckedEnv, { LIMITS: '{"a":1}' }).LIMITS).toEqual({ a: 1 });
    expect(() => loadConfig(CheckedEnv, { LIMITS: '{"a":"1","b":null}' })).toThrow(
      'LIMITS: a must be a number; b must be a number',
    );
    expect(() => loadConfig(CheckedEnv, { LIMITS: '[1]' })).toThrow(
      'LIMITS: LIMITS must be a JSON object',
    );
  });
});
