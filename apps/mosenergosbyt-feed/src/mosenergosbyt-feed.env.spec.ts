import { loadConfig } from '@gw/platform';
import { FeedEnv } from './mosenergosbyt-feed.env';

const load = (settings: Record<string, string> = {}) =>
  loadConfig(FeedEnv, { GATEWAY_MODE: 'development', ...settings });

describe('FeedEnv', () => {
  it('starts a new group from the beginning unless MOSENERGOSBYT_FROM_BEGINNING=false', () => {
    expect(load().MOSENERGOSBYT_FROM_BEGINNING).toBe(true);
    expect(load({ MOSENERGOSBYT_FROM_BEGINNING: 'false' }).MOSENERGOSBYT_FROM_BEGINNING).toBe(
      false,
    );
    expect(() => load({ MOSENERGOSBYT_FROM_BEGINNING: 'no' })).toThrow(
      'MOSENERGOSBYT_FROM_BEGINNING must be true or false',
    );
  });

  it('refuses an empty MOSENERGOSBYT_GROUP_ID at boot, naming it', () => {
    expect(() => load({ MOSENERGOSBYT_GROUP_ID: '' })).toThrow(
      'MOSENERGOSBYT_GROUP_ID must not be empty',
    );
  });
});
