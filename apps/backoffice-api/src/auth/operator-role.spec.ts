import type { OperatorRole } from '@gw/persistence';
import { hasRole, isOperatorRole } from './operator-role';

describe('hasRole', () => {
  const cases: [OperatorRole, OperatorRole, boolean][] = [
    ['operator', 'operator', true],
    ['operator', 'supervisor', false],
    ['operator', 'admin', false],
    ['supervisor', 'operator', true],
    ['supervisor', 'supervisor', true],
    ['supervisor', 'admin', false],
    ['admin', 'operator', true],
    ['admin', 'supervisor', true],
    ['admin', 'admin', true],
  ];
  it.each(cases)('%s for a route needing %s: %s', (actual, required, allowed) => {
    expect(hasRole(actual, required)).toBe(allowed);
  });
});

describe('isOperatorRole', () => {
  it.each([
    ['operator', true],
    ['supervisor', true],
    ['admin', true],
    ['Admin', false],
    ['root', false],
    ['', false],
    ['constructor', false],
    ['toString', false],
    [1, false],
    [null, false],
    [undefined, false],
    [['admin'], false],
  ])('%p: %s', (value, expected) => {
    expect(isOperatorRole(value)).toBe(expected);
  });
});
