/**
 * Moscow time in SQL: `<timestamptz> AT TIME ZONE ${MOSCOW_ZONE}` is its Moscow wall-clock time,
 * `<timestamp> AT TIME ZONE ${MOSCOW_ZONE}` the instant of a Moscow wall-clock time. UTC+3 all
 * year, as libs/domain counts it (contract section 1), also for dates before October 2014, when
 * the `Europe/Moscow` zone of PostgreSQL's database was UTC+4 (in summer, and all year from 2011).
 * An interval, not the text '+03:00', which PostgreSQL would read as POSIX's UTC-3.
 */
export const MOSCOW_ZONE = `INTERVAL '+03:00'`;
