import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';

/**
 * A trigger that makes PostgreSQL refuse to insert one row of `table` (where `column` equals
 * `value`) with SQLSTATE 22008 and the message `test refuses to store <value>`: a message that
 * decodes but cannot be stored. Returns what drops the trigger again.
 */
export async function refuseToStore(
  db: DataSource,
  table: string,
  column: string,
  value: string,
): Promise<() => Promise<void>> {
  const name = `refuse_${randomUUID().replace(/-/g, '_')}`;
  const literal = `'${value.replace(/'/g, "''")}'`;
  await db.query(
    `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF NEW.${column}::text = ${literal} THEN
         RAISE EXCEPTION 'test refuses to store %', NEW.${column} USING ERRCODE = '22008';
       END IF;
       RETURN NEW;
     END $$`,
  );
  await db.query(
    `CREATE TRIGGER ${name} BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION ${name}()`,
  );
  return async () => {
    await db.query(`DROP TRIGGER IF EXISTS ${name} ON ${table}`);
    await db.query(`DROP FUNCTION IF EXISTS ${name}()`);
  };
}
