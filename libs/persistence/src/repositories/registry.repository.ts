import { type RegistryMeter, registerRefusal } from '@gw/domain';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DataSource, QueryRunner } from 'typeorm';
import { zoneUnits } from './reading.repository';

export interface UpsertCounts {
  imported: number;
  updated: number;
}

/** A staged row the import refused, by the line it was read from. */
export interface RefusedRow {
  line: number;
  error: string;
}

/** `source` and `recorded_by` of the verifications that come with registry rows. */
const REGISTRY = 'registry';

/** Staged serials merged at once by `importMeters`: a few seconds of work on a 2-core machine. */
const MERGE_SLICE = 50_000;
/** Chunks `importMeters` lets wait for their COPY (2,000 rows each from `ctl`: about 10 MB). */
const QUEUED_CHUNKS = 32;

/** The registry's columns as the meters table has them, in the order both imports give them. */
const STAGED_COLUMNS = `serial, account_number, resource, zones, integer_digits, fraction_digits, installed_on,
  verified_on, verification_interval_months, verification_due_on, decommissioned_on, initial_t1, initial_t2,
  initial_t3, initial_on, type_number`;

/** A field of COPY's text format: `\N` for null. */
const copyField = (value: string | number | null) => (value === null ? '\\N' : value);

/**
 * A meter read from `line` as a line of COPY's text format (STAGED_COLUMNS, then the line). Of its
 * fields only the serial may hold COPY's escape, a backslash: parseRegistryRecord leaves the
 * others digits, dates, decimals and resource names.
 */
const copyLine = (m: RegistryMeter, line: number) =>
  `${[
    m.serial.replace(/\\/g, '\\\\'),
    m.accountNumber,
    m.resource,
    m.zones,
    m.integerDigits,
    m.fractionDigits,
    m.installedOn,
    m.verifiedOn,
    m.verificationIntervalMonths,
    m.verificationDueOn,
    copyField(m.decommissionedOn),
    copyField(m.initial[0]),
    copyField(m.initial[1]),
    copyField(m.initial[2]),
    copyField(m.initialOn),
    copyField(m.typeNumber ?? null),
    line,
  ].join('\t')}\n`;

/**
 * A column of verification `c` (verified_on, verification_interval_months or verification_due_on)
 * as an upsert into meters `m` leaves it: a verification recorded in the back office stays the
 * meter's current one when the row carries an older date (a registry exported before it was
 * recorded); a registry date still corrects a registry date, either way. It is looked up only for
 * a row older than the meter's date, through the unique (serial, verified_on) index, so a merge
 * joins no table. $1 is the `source` of registry verifications.
 */
const verificationKept = (c: string) => `CASE
     WHEN m.verified_on <= EXCLUDED.verified_on THEN EXCLUDED.${c}
     WHEN EXISTS (SELECT FROM meter_verifications kept
                   WHERE kept.serial = m.serial AND kept.verified_on = m.verified_on AND kept.source <> $1)
       THEN m.${c}
     ELSE EXCLUDED.${c} END`;

/**
 * How an insert of registry verifications into meter_verifications meets a day already on file,
 * $n being the `source` of registry verifications: a record of another source stays as it is; the
 * registry's own takes the row's interval, so a corrected interval judges readings as it dates the
 * meter's verification.
 */
const registryVerificationConflict = (n: number) => `ON CONFLICT (serial, verified_on) DO UPDATE
   SET interval_months = EXCLUDED.interval_months, due_on = EXCLUDED.due_on
   WHERE meter_verifications.source = $${n}
     AND (meter_verifications.interval_months, meter_verifications.due_on)
       IS DISTINCT FROM (EXCLUDED.interval_months, EXCLUDED.due_on)`;

/**
 * Inserts new meters and updates changed ones from `given` (one row per serial, in
 * STAGED_COLUMNS), leaving unchanged rows alone; $1 is the `source` of registry
 * verifications. It locks every meter it finds, changed or not, in serial order, the order the
 * processor locks a batch's meters in. Answers how many were imported and updated, and the
 * serials of the meters it gave another register (zones or digits): the statement's own query of
 * meters, `was`, sees them as they were before it (a data-modifying WITH runs on one snapshot),
 * and looks up only the updated ones. Without `typeNumbers` (rows of a file without the
 * `type_number` column) a known meter keeps its type number and a new one has none.
 */
const upsertMetersSql = (given: string, typeNumbers: boolean) => {
  const typeNumber = typeNumbers ? 'EXCLUDED.type_number' : 'm.type_number';
  return `WITH given AS (${given}), written AS (
   INSERT INTO meters AS m (${STAGED_COLUMNS})
   SELECT * FROM given ORDER BY serial
   ON CONFLICT (serial) DO UPDATE SET
     account_number = EXCLUDED.account_number, resource = EXCLUDED.resource, zones = EXCLUDED.zones,
     integer_digits = EXCLUDED.integer_digits, fraction_digits = EXCLUDED.fraction_digits,
     installed_on = EXCLUDED.installed_on, verified_on = ${verificationKept('verified_on')},
     verification_interval_months = ${verificationKept('verification_interval_months')},
     verification_due_on = ${verificationKept('verification_due_on')}, decommissioned_on = EXCLUDED.decommissioned_on,
     initial_t1 = EXCLUDED.initial_t1, initial_t2 = EXCLUDED.initial_t2, initial_t3 = EXCLUDED.initial_t3,
     initial_on = EXCLUDED.initial_on, type_number = ${typeNumber}, updated_at = now()
   WHERE (m.account_number, m.resource, m.zones, m.integer_digits, m.fraction_digits, m.installed_on, m.verified_on,
          m.verification_interval_months, m.decommissioned_on, m.initial_t1, m.initial_t2, m.initial_t3, m.initial_on,
          m.type_number)
     IS DISTINCT FROM
         (EXCLUDED.account_number, EXCLUDED.resource, EXCLUDED.zones, EXCLUDED.integer_digits, EXCLUDED.fraction_digits,
          EXCLUDED.installed_on, ${verificationKept('verified_on')}, ${verificationKept('verification_interval_months')},
          EXCLUDED.decommissioned_on, EXCLUDED.initial_t1, EXCLUDED.initial_t2, EXCLUDED.initial_t3, EXCLUDED.initial_on,
          ${typeNumber})
   RETURNING serial, zones, integer_digits, fraction_digits, (xmax = 0) AS inserted
 )
 SELECT count(*) FILTER (WHERE inserted)::int AS imported, count(*) FILTER (WHERE NOT inserted)::int AS updated,
        coalesce(array_agg(serial) FILTER (WHERE CASE WHEN inserted THEN false ELSE NOT EXISTS (
          SELECT FROM meters was WHERE was.serial = written.serial
             AND (was.zones, was.integer_digits, was.fraction_digits)
               = (written.zones, written.integer_digits, written.fraction_digits)) END), '{}') AS reregistered
   FROM written`;
};

/**
 * Whether the rows carry type numbers (null included): a file's rows all do, or none do, as it
 * has the `type_number` column or not.
 */
const carryTypeNumbers = (rows: RegistryMeter[]) => rows.some((r) => r.typeNumber !== undefined);

/** A staged row with its meter's last accepted reading. */
interface LastAcceptedRow {
  serial: string;
  line: number;
  zones: number;
  integer_digits: number;
  fraction_digits: number;
  t1: string | null;
  t2: string | null;
  t3: string | null;
}

/**
 * The staged rows of `given` among `serials` whose register their meter's last accepted reading
 * (the one the processor counts from) does not fit, with the refusal: read only for the meters a
 * merge gave another register.
 */
async function misfits(
  runner: QueryRunner,
  given: string,
  serials: string[],
): Promise<(RefusedRow & { serial: string })[]> {
  if (serials.length === 0) return [];
  const rows: LastAcceptedRow[] = await runner.query(
    `SELECT g.serial, g.line, g.zones, g.integer_digits, g.fraction_digits, r.t1::text, r.t2::text, r.t3::text
       FROM ${given} g
       CROSS JOIN LATERAL (
         SELECT t1, t2, t3 FROM readings WHERE meter_serial = g.serial AND status = 'accepted'
          ORDER BY read_at DESC, decided_at DESC LIMIT 1) r
      WHERE g.serial = ANY($1::varchar[])`,
    [serials],
  );
  return rows.flatMap((r) => {
    const error = registerRefusal(
      { zones: r.zones, integerDigits: r.integer_digits, fractionDigits: r.fraction_digits },
      zoneUnits(r.t1, r.t2, r.t3),
    );
    return error === null ? [] : [{ serial: r.serial, line: r.line, error }];
  });
}

/** Meters and accounts as loaded from the billing system's registry. */
export class RegistryRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Inserts new meters and updates changed ones in two set-based statements; unchanged rows are
   * left alone, so importing the same file twice changes nothing. A later row for the same serial wins.
   * A row does not take a meter back from a verification recorded in the back office to an older
   * one; the row's verification is still kept in the history. Rows without a type number
   * (`undefined`: a file without the column) leave the stored ones alone. Meant for loading meters
   * (tests, benchmarks): unlike `importMeters`, it does not check a changed register against
   * readings.
   */
  async upsertMeters(rows: RegistryMeter[]): Promise<UpsertCounts> {
    const meters = [...new Map(rows.map((r) => [r.serial, r])).values()];
    const col = <K extends keyof RegistryMeter>(key: K) => meters.map((m) => m[key]);
    const initial = (i: number) => meters.map((m) => m.initial[i]);
    return this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO accounts (account_number) SELECT DISTINCT unnest($1::varchar[]) ON CONFLICT DO NOTHING`,
        [col('accountNumber')],
      );
      const [{ imported, updated }]: UpsertCounts[] = await tx.query(
        upsertMetersSql(
          `SELECT * FROM unnest($2::varchar[], $3::varchar[], $4::varchar[], $5::smallint[], $6::smallint[], $7::smallint[],
             $8::date[], $9::date[], $10::int[], $11::date[], $12::date[], $13::numeric[], $14::numeric[], $15::numeric[], $16::date[],
             $17::varchar[])
             AS t(${STAGED_COLUMNS})`,
          carryTypeNumbers(meters),
        ),
        [
          REGISTRY,
          col('serial'),
          col('accountNumber'),
          col('resource'),
          col('zones'),
          col('integerDigits'),
          col('fractionDigits'),
          col('installedOn'),
          col('verifiedOn'),
          col('verificationIntervalMonths'),
          col('verificationDueOn'),
          col('decommissionedOn'),
          initial(0),
          initial(1),
          initial(2),
          col('initialOn'),
          col('typeNumber'),
        ],
      );
      await tx.query(
        `INSERT INTO meter_verifications (serial, verified_on, interval_months, due_on, recorded_by, source)
         SELECT *, $5, $5 FROM unnest($1::varchar[], $2::date[], $3::int[], $4::date[])
         ${registryVerificationConflict(5)}`,
        [
          col('serial'),
          col('verifiedOn'),
          col('verificationIntervalMonths'),
          col('verificationDueOn'),
          REGISTRY,
        ],
      );
      return { imported, updated };
    });
  }

  /**
   * A whole registry file at once, with the effect of `upsertMeters` over all its rows, in one
   * transaction: each `stage(rows, lines)` call while `feed` runs queues its rows to be COPYed into
   * a temporary table; once `feed` is done, each serial's last row is merged, MERGE_SLICE serials
   * at a time in serial order, by three set-based statements (a fourth reads the last accepted
   * reading of the meters given another register). At most QUEUED_CHUNKS calls wait in the
   * queue, so memory stays flat. When `feed` or a write throws, nothing is written. A row that
   * gives a meter a register its last accepted reading does not fit is refused, by its line, and
   * changes nothing.
   *
   * The meters stay locked until the import commits. They are locked in serial order across the
   * whole file, as the processor locks a batch's meters: merged in the file's order, a batch
   * holding a meter of a later slice while waiting for one of an earlier slice would close a
   * deadlock, which PostgreSQL would often end by rolling back the import.
   */
  async importMeters<R>(
    feed: (stage: (rows: RegistryMeter[], lines: number[]) => Promise<void>) => Promise<R>,
  ): Promise<{ fed: R; counts: UpsertCounts; refused: RefusedRow[] }> {
    const runner = this.db.createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    await runner.startTransaction();
    const queue: Promise<void>[] = [];
    let failure: unknown;
    let typeNumbers = false;
    try {
      await runner.query(
        `CREATE TEMPORARY TABLE registry_import (
           seq serial, serial varchar, account_number varchar, resource varchar, zones smallint,
           integer_digits smallint, fraction_digits smallint, installed_on date, verified_on date,
           verification_interval_months int, verification_due_on date, decommissioned_on date,
           initial_t1 numeric, initial_t2 numeric, initial_t3 numeric, initial_on date, type_number varchar,
           line int
         ) ON COMMIT DROP`,
      );
      await runner.query(
        `CREATE TEMPORARY TABLE registry_given ON COMMIT DROP AS
           SELECT ${STAGED_COLUMNS}, line FROM registry_import WITH NO DATA`,
      );
      const counts: UpsertCounts = { imported: 0, updated: 0 };
      const refused: RefusedRow[] = [];
      const given = 'registry_given';
      /** Merges the slice in `given`. */
      const merge = async () => {
        /** The slice's rows but those refused, `$n` being the array of their serials. */
        const kept = (n: number) =>
          `SELECT ${STAGED_COLUMNS} FROM ${given} WHERE serial <> ALL($${n}::varchar[])`;
        const refusedSerials: string[] = [];
        // A changed register is checked against the meter's readings once the upsert has locked
        // the meter (it locks every meter it finds, changed or not), in a statement of its own:
        // the upsert reads on its snapshot, from before it waited for a lock. So a reading the
        // processor stores meanwhile is either committed before the lock, and seen here, or
        // waits until the import commits, when its batch finds the meter's token changed and
        // decides it again against the new register. A refused row is undone with the whole
        // merge, which runs again without it.
        await runner.query(`SAVEPOINT registry_merge`);
        for (;;) {
          await runner.query(
            `INSERT INTO accounts (account_number) SELECT DISTINCT account_number FROM (${kept(1)}) k
             ON CONFLICT DO NOTHING`,
            [refusedSerials],
          );
          const [written]: (UpsertCounts & { reregistered: string[] })[] = await runner.query(
            upsertMetersSql(kept(2), typeNumbers),
            [REGISTRY, refusedSerials],
          );
          const found = await misfits(runner, given, written.reregistered);
          if (found.length === 0) {
            counts.imported += written.imported;
            counts.updated += written.updated;
            break;
          }
          await runner.query(`ROLLBACK TO SAVEPOINT registry_merge`);
          for (const { serial, line, error } of found) {
            refusedSerials.push(serial);
            refused.push({ line, error });
          }
        }
        await runner.query(`RELEASE SAVEPOINT registry_merge`);
        await runner.query(
          `INSERT INTO meter_verifications (serial, verified_on, interval_months, due_on, recorded_by, source)
           SELECT serial, verified_on, verification_interval_months, verification_due_on, $1, $1 FROM (${kept(2)}) k
           ${registryVerificationConflict(1)}`,
          [REGISTRY, refusedSerials],
        );
        await runner.query(`TRUNCATE ${given}`);
      };
      const fed = await feed(async (rows, lines) => {
        if (failure) throw failure;
        typeNumbers ||= carryTypeNumbers(rows);
        const text = rows.map((row, i) => copyLine(row, lines[i])).join('');
        const previous = queue[queue.length - 1] ?? Promise.resolve();
        queue.push(
          previous
            .then(async () => {
              if (failure) return;
              await pipeline(
                Readable.from([text]),
                client.query(copyFrom(`COPY registry_import (${STAGED_COLUMNS}, line) FROM STDIN`)),
              );
            })
            .catch((error: unknown) => void (failure ??= error)),
        );
        if (queue.length > QUEUED_CHUNKS) await queue[queue.length - 1 - QUEUED_CHUNKS];
        if (failure) throw failure;
      });
      await queue[queue.length - 1];
      if (failure) throw failure;
      // Each serial's last row, the slices in serial order: the locks are taken in that order.
      await runner.query(`CREATE INDEX ON registry_import (serial, seq DESC)`);
      await runner.query(`ANALYZE registry_import`);
      for (let after = ''; ;) {
        const [{ last }]: { last: string | null }[] = await runner.query(
          `WITH slice AS (
             INSERT INTO ${given} SELECT DISTINCT ON (serial) ${STAGED_COLUMNS}, line FROM registry_import
              WHERE serial > $1 ORDER BY serial, seq DESC LIMIT ${MERGE_SLICE}
             RETURNING serial)
           SELECT max(serial) AS last FROM slice`,
          [after],
        );
        if (last === null) break;
        await merge();
        after = last;
      }
      await runner.commitTransaction();
      return { fed, counts, refused };
    } catch (error) {
      failure ??= error;
      await queue[queue.length - 1];
      await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }
}
