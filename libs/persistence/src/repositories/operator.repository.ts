import type { DataSource } from 'typeorm';
import { OperatorEntity, type OperatorRole } from '../entities/operator.entity';

export class OperatorRepository {
  constructor(private readonly db: DataSource) {}

  /** Creates the operator or replaces their password and role. */
  async save(login: string, passwordHash: string, role: OperatorRole): Promise<void> {
    await this.db.query(
      `INSERT INTO operators (login, password_hash, role) VALUES ($1, $2, $3)
       ON CONFLICT (login) DO UPDATE SET password_hash = EXCLUDED.password_hash, role = EXCLUDED.role`,
      [login, passwordHash, role],
    );
  }

  find(login: string): Promise<OperatorEntity | null> {
    return this.db.getRepository(OperatorEntity).findOneBy({ login });
  }
}
