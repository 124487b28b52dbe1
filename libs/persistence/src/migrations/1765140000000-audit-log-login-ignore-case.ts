import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AuditLogLoginIgnoreCase1765140000000 implements MigrationInterface {
  name = 'AuditLogLoginIgnoreCase1765140000000';

  async up(q: QueryRunner): Promise<void> {
    // The audit log's filters by login and by an operator as the subject ignore case, as sign-in
    // does: one operator's entries, newest first, are read from these, not found by reading all.
    await q.query(
      `CREATE INDEX audit_log_login_lower_idx ON audit_log (lower(operator_login), id)`,
    );
    await q.query(
      `CREATE INDEX audit_log_operator_subject_lower_idx ON audit_log (lower(subject), id)
        WHERE subject LIKE 'operator:%'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX audit_log_operator_subject_lower_idx`);
    await q.query(`DROP INDEX audit_log_login_lower_idx`);
  }
}
