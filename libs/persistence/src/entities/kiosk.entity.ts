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

  /** Set by `ctl … disable`: every edge refuses the credential until it is enabled again. */
  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt: Date | null;
}
