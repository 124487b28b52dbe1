import { InvalidArgumentError } from 'commander';
import { plainNumber } from '@gw/domain';

/**
 * An option's parser for a whole number from `min` to `max` written in plain digits: `Number`
 * alone would take `1e3`, `0x10`, `2.5` or ` 5` and turn other text into NaN.
 */
export function wholeNumber(min: number, max: number, unit: string): (value: string) => number {
  return (value) => {
    const number = plainNumber(value, { min, max });
    if (number === null) throw new InvalidArgumentError(`must be ${min} to ${max} ${unit}`);
    return number;
  };
}
