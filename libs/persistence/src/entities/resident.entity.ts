import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A resident with a web cabinet; e-mail (lower-cased) and phone are personal data, never logged. */
@Entity('residents')
export class ResidentEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Column({ type: 'varchar', length: 16 })
  phone: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
