/**
 * The first meter named more than once among a submission's readings, or null. A meter's reading
 * is one submission whose id comes from the meter, so a second reading of it would carry the same
 * id and the processor would keep only one of the two values.
 */
export function repeatedMeter(serials: readonly string[]): string | null {
  return serials.find((serial, index) => serials.indexOf(serial) !== index) ?? null;
}
