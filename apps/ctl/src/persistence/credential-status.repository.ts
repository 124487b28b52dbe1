import { AuditLogRepository, queryable, transaction } from '@gw/persistence';
import type { DataSource } from 'typeorm';

/** The holders of credentials that can be disabled, named as on the command line. */
export const CREDENTIAL_HOLDERS = ['kiosk', 'terminal', 'scanner', 'operator'] as const;
export type CredentialHolder = (typeof CREDENTIAL_HOLDERS)[number];

const TABLES: Record<
  CredentialHolder,
  { table: string; key: string; onDisable: string; ignoreCase?: true }
> = {
  kiosk: { table: 'kiosks', key: 'kiosk_id', onDisable: '' },
  terminal: { table: 'terminals', key: 'terminal_id', onDisable: '' },
  scanner: { table: 'scanning_centres', key: 'centre_id', onDisable: '' },
  // Disabling an operator also ends the sessions they have, as `operator revoke` does. Operators'
  // logins ignore case.
  operator: {
    table: 'operators',
    key: 'login',
    onDisable: ', session_epoch = t.session_epoch + 1',
    ignoreCase: true,
  },
};

/** Who changed a credential's status, as the audit log records it. */
export interface CredentialActor {
  login: string;
  role: string;
}

/**
 * Disables and enables credentials. The change and its audit entry are committed together; the
 * edges see it on their next lookup (see each edge's authenticator for how stale that may be).
 */
export class CredentialStatusRepository {
  private readonly audit: AuditLogRepository;

  constructor(private readonly db: DataSource) {
    this.audit = new AuditLogRepository(db);
  }

  /** False when there is no such credential. Disabling a disabled one keeps its first date. */
  setDisabled(
    holder: CredentialHolder,
    id: string,
    disabled: boolean,
    actor: CredentialActor,
  ): Promise<boolean> {
    const { table, key, onDisable, ignoreCase } = TABLES[holder];
    const match = ignoreCase ? `lower(${key}) = lower($1)` : `${key} = $1`;
    const assignments = disabled
      ? `disabled_at = coalesce(old.disabled_at, now())${onDisable}`
      : 'disabled_at = NULL';
    return transaction(this.db, async (tx) => {
      const [rows]: [{ id: string; was_disabled: boolean }[], number] = await queryable(
        this.db,
        tx,
      ).query(
        `UPDATE ${table} AS t SET ${assignments}
           FROM (SELECT ${key}, disabled_at FROM ${table} WHERE ${match} FOR UPDATE) AS old
          WHERE t.${key} = old.${key}
          RETURNING t.${key} AS id, old.disabled_at IS NOT NULL AS was_disabled`,
        [id],
      );
      if (rows.length === 0) return false;
      await this.audit.append(tx, {
        login: actor.login,
        role: actor.role,
        action: `${holder}.${disabled ? 'disable' : 'enable'}`,
        subject: `${holder}:${rows[0].id}`,
        before: { disabled: rows[0].was_disabled },
        after: { disabled },
      });
      return true;
    });
  }
}
