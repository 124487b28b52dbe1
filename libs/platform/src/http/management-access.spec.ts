import { isManagementPath } from './management-access';

describe('isManagementPath', () => {
  it.each([
    ['/metrics', true],
    ['/metrics/', true],
    ['/METRICS', true],
    ['/docs', true],
    ['/docs/', true],
    ['/docs-json', true],
    ['/docs-yaml', true],
    ['/Docs-Json', true],
    ['/docs/swagger-ui-bundle.js', true],
    ['/health/live', false],
    ['/health/ready', false],
    ['/', false],
    ['/metricsx', false],
    ['/documents', false],
    ['/v1/metrics', false],
    ['/v1/kiosk/readings', false],
  ])('%s -> %s', (path, expected) => {
    expect(isManagementPath(path)).toBe(expected);
  });
});
