import { InvalidArgumentError } from 'commander';

/**
 * An option's parser for a whole number from `min` to `max` written in plain digits: `Number`
 * alone would take `1e3`, `0x10`, `2.5` or ` 5` and turn other text into NaN.
 */
export function wholeNumber(min: number, max: number, unit: string): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!/^\d+$/.test(value) || number < min || number > max)
      throw new InvalidArgumentError(`must be ${min} to ${max} ${unit}`);
    return number;
  };
}
