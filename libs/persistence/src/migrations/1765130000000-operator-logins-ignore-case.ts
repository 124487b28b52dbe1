import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OperatorLoginsIgnoreCase1765130000000 implements MigrationInterface {
  name = 'OperatorLoginsIgnoreCase1765130000000';

  async up(q: QueryRunner): Promise<void> {
    // `Ivanov` and `ivanov` are one operator: sign-in and ctl find a login ignoring case, and the
    // login is kept as first written. Operators added before that may differ only in case; which
    // of them is the one to keep is for an administrator to decide, so the migration stops.
    const collisions: { logins: string }[] = await q.query(
      `SELECT string_agg(login, ', ' ORDER BY login COLLATE "C") AS logins FROM operators
        GROUP BY lower(login) HAVING count(*) > 1 ORDER BY lower(login)`,
    );
    if (collisions.length > 0)
      throw new Error(
        `operator logins differ only in case: ${collisions.map((c) => c.logins).join('; ')}; ` +
          'delete all but one of each (DELETE FROM operators WHERE login = …) and migrate again',
      );
    await q.query(`CREATE UNIQUE INDEX operators_login_lower_key ON operators (lower(login))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX operators_login_lower_key`);
  }
}
