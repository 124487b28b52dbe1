import {
  AuditLogRepository,
  type Changed,
  type OperatorRole,
  queryable,
  type TerminalCredentials,
  transaction,
} from '@gw/persistence';
import type { DataSource } from 'typeorm';
import type { CredentialActor } from './credential-status.repository';

/**
 * Issues and revokes the credentials every edge checks: operators', terminals', kiosks' and
 * scanning centres' secrets, and the sessions of operators and residents. Replacing a credential
 * never enables a disabled one: `disable` and `enable` are CredentialStatusRepository's.
 */
export class CredentialRepository {
  private readonly audit: AuditLogRepository;

  constructor(private readonly db: DataSource) {
    this.audit = new AuditLogRepository(db);
  }

  /**
   * Creates the operator, or replaces their password and role and ends the sessions they had. A
   * login in another case is theirs: the login stored, as first written, is returned. With an
   * `actor` (the command line), the change and its audit entry (the role before and after, never
   * the password) are committed together.
   */
  saveOperator(
    login: string,
    passwordHash: string,
    role: OperatorRole,
    actor?: CredentialActor,
  ): Promise<string> {
    return transaction(this.db, async (tx) => {
      const db = queryable(this.db, tx);
      const [was]: { role: OperatorRole }[] = await db.query(
        'SELECT role FROM operators WHERE lower(login) = lower($1) FOR UPDATE',
        [login],
      );
      const [saved]: { login: string }[] = await db.query(
        `INSERT INTO operators AS o (login, password_hash, role) VALUES ($1, $2, $3)
         ON CONFLICT ((lower(login))) DO UPDATE SET password_hash = EXCLUDED.password_hash,
           role = EXCLUDED.role, session_epoch = o.session_epoch + 1
         RETURNING login`,
        [login, passwordHash, role],
      );
      if (actor)
        await this.audit.append(tx, {
          ...actor,
          action: 'operator.add',
          subject: `operator:${saved.login}`,
          before: was ? { role: was.role } : null,
          after: was ? { role, sessionsEnded: true } : { role },
        });
      return saved.login;
    });
  }

  /**
   * Ends every session the operator has (login ignoring case); false when there is none. The
   * change and its audit entry are committed together.
   */
  endOperatorSessions(login: string, actor: CredentialActor): Promise<boolean> {
    return transaction(this.db, async (tx) => {
      const [rows]: [{ login: string }[], number] = await queryable(this.db, tx).query(
        `UPDATE operators SET session_epoch = session_epoch + 1 WHERE lower(login) = lower($1)
         RETURNING login`,
        [login],
      );
      if (rows.length === 0) return false;
      await this.audit.append(tx, {
        ...actor,
        action: 'operator.revoke',
        subject: `operator:${rows[0].login}`,
        before: null,
        after: { sessionsEnded: true },
      });
      return true;
    });
  }

  /** Ends every session the resident has; false when no resident has this (canonical) e-mail. */
  async endResidentSessions(email: string): Promise<boolean> {
    const [, count]: Changed = await this.db.query(
      `UPDATE residents SET session_epoch = session_epoch + 1 WHERE email = $1`,
      [email],
    );
    return count === 1;
  }

  /** Creates the terminal or replaces its login, password and allow-list. */
  async saveTerminal({
    terminalId,
    login,
    passwordHash,
    allowList,
  }: TerminalCredentials): Promise<void> {
    await this.db.query(
      `INSERT INTO terminals (terminal_id, login, password_hash, allowed_ips, allow_any_ip)
       VALUES ($1, $2, $3, $4::text[], $5)
       ON CONFLICT (terminal_id) DO UPDATE
         SET login = EXCLUDED.login, password_hash = EXCLUDED.password_hash,
             allowed_ips = EXCLUDED.allowed_ips, allow_any_ip = EXCLUDED.allow_any_ip`,
      [terminalId, login, passwordHash, allowList.ranges, allowList.anyIp],
    );
  }

  /** Creates the kiosk or replaces its secret (the old one stops working). */
  /**
   * Passes every kiosk's sealed secret (disabled kiosks included) through `reseal` and stores the
   * values it returns (null: keep the row as it is), in one transaction that locks the rows, so a
   * `kiosk add` meanwhile waits for it instead of being overwritten. The secrets stay the same, so
   * `secret_issued_at` does too.
   */
  async resealSecrets(
    reseal: (kioskId: string, sealedSecret: string) => string | null,
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      const rows: { kiosk_id: string; sealed_secret: string }[] = await tx.query(
        'SELECT kiosk_id, sealed_secret FROM kiosks ORDER BY kiosk_id FOR UPDATE',
      );
      const changed = rows.flatMap((row) => {
        const sealed = reseal(row.kiosk_id, row.sealed_secret);
        return sealed === null ? [] : [{ kioskId: row.kiosk_id, sealed }];
      });
      if (changed.length === 0) return;
      await tx.query(
        `UPDATE kiosks k SET sealed_secret = v.sealed
         FROM unnest($1::varchar[], $2::text[]) AS v (kiosk_id, sealed)
         WHERE k.kiosk_id = v.kiosk_id`,
        [changed.map((c) => c.kioskId), changed.map((c) => c.sealed)],
      );
    });
  }
  async saveKioskSecret(kioskId: string, sealedSecret: string): Promise<void> {
    await this.db.query(
      `INSERT INTO kiosks (kiosk_id, sealed_secret) VALUES ($1, $2)
       ON CONFLICT (kiosk_id) DO UPDATE SET sealed_secret = EXCLUDED.sealed_secret, secret_issued_at = now()`,
      [kioskId, sealedSecret],
    );
  }

  /** Creates the centre or replaces its login and password (the old password stops working). */
  async saveScanningCentre(centreId: string, login: string, passwordHash: string): Promise<void> {
    await this.db.query(
      `INSERT INTO scanning_centres (centre_id, login, password_hash) VALUES ($1, $2, $3)
       ON CONFLICT (centre_id) DO UPDATE
         SET login = EXCLUDED.login, password_hash = EXCLUDED.password_hash, password_set_at = now()`,
      [centreId, login, passwordHash],
    );
  }
}
