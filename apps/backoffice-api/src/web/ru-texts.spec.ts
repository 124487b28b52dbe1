import { verificationName } from './ru-texts';

describe('verificationName', () => {
  it.each<[string, Parameters<typeof verificationName>[0], string]>([
    ['valid', { verificationStatus: 'valid' }, 'действует'],
    ['expired', { verificationStatus: 'expired' }, 'просрочена'],
    ['found unfit', { verificationStatus: 'expired', unfitSince: '2026-11-05' }, 'непригоден'],
    [
      'unfit and removed',
      { verificationStatus: 'decommissioned', unfitSince: '2026-11-05' },
      'прибор снят',
    ],
  ])('%s', (_name, meter, text) => {
    expect(verificationName(meter)).toBe(text);
  });
});
