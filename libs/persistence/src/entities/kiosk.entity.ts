import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A reading kiosk and its request-signing secret, sealed with the gateway's key. */
@Entity('kiosks')
export class KioskEntity {
  @PrimaryColumn({ name: 'kiosk_id', type: 'varchar', length: 64 })
  kioskId: string;

  @Column({ name: 'sealed_secret', type: 'text' })
  sealedSecret: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'secret_issued_at', type: 'timestamptz' })
  secretIssuedAt: Date;
}
