/**
 * A UUID in its canonical text form, any version, either case: submission, session and resident
 * ids. Checked before such an id reaches PostgreSQL, whose uuid type refuses anything else with an
 * error rather than an empty answer.
 */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (text: string): boolean => UUID_PATTERN.test(text);
