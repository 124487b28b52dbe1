import { checkNewVerification, type VerifiedMeter } from './verification-record';

describe('checkNewVerification', () => {
  const meter: VerifiedMeter = {
    installedOn: '2019-03-01',
    verifiedOn: '2019-03-01',
    decommissionedOn: null,
  };
  const today = '2026-11-20';

  const cases: [string, Partial<VerifiedMeter>, string, ReturnType<typeof checkNewVerification>][] =
    [
      ['a later verification up to today is fine', {}, '2026-11-20', null],
      ['one day after the last one is fine', {}, '2019-03-02', null],
      [
        'tomorrow is in the future',
        {},
        '2026-11-21',
        { code: 'INVALID_VERIFICATION', message: 'verifiedOn 2026-11-21 is in the future' },
      ],
      [
        'before installation',
        { installedOn: '2020-01-01', verifiedOn: '2020-01-01' },
        '2019-12-31',
        {
          code: 'INVALID_VERIFICATION',
          message: 'verifiedOn 2019-12-31 is before the meter was installed on 2020-01-01',
        },
      ],
      [
        'on the day of decommissioning',
        { decommissionedOn: '2026-01-10' },
        '2026-01-10',
        { code: 'INVALID_VERIFICATION', message: 'the meter was decommissioned on 2026-01-10' },
      ],
      ['before decommissioning', { decommissionedOn: '2026-01-10' }, '2026-01-09', null],
      [
        'the same day as the current one',
        { verifiedOn: '2025-05-05' },
        '2025-05-05',
        {
          code: 'VERIFICATION_NOT_NEWER',
          message: 'the meter already has a verification on 2025-05-05; a new one must be later',
        },
      ],
      [
        'older than the current one',
        { verifiedOn: '2025-05-05' },
        '2024-05-05',
        {
          code: 'VERIFICATION_NOT_NEWER',
          message: 'the meter already has a verification on 2025-05-05; a new one must be later',
        },
      ],
    ];
  it.each(cases)('%s', (_name, overrides, verifiedOn, expected) => {
    expect(checkNewVerification({ ...meter, ...overrides }, verifiedOn, today)).toEqual(expected);
  });
});
