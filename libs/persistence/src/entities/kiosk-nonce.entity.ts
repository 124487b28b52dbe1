import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A nonce a kiosk has used, remembered until its request can no longer be replayed. */
@Entity('kiosk_nonces')
export class KioskNonceEntity {
  @PrimaryColumn({ name: 'kiosk_id', type: 'varchar', length: 64 })
  kioskId: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  nonce: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;
}
