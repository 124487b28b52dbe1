import { Column, Entity, PrimaryColumn } from 'typeorm';

export const OPERATOR_ROLES = ['operator', 'supervisor', 'admin'] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

@Entity('operators')
export class OperatorEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  login: string;

  @Column({ name: 'password_hash', type: 'text' })
  passwordHash: string;

  @Column({ type: 'varchar', length: 16 })
  role: OperatorRole;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
