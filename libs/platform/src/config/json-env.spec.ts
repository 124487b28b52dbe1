import { JsonObjectEnv } from './json-env';
import { ConfigError, loadConfig } from './load-config';

class PolicyEnv {
  @JsonObjectEnv('OVERRIDES must be a JSON object')
  OVERRIDES: Record<string, unknown> = {};
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
});
