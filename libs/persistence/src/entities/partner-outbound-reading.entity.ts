import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A reading of ours sent to the partner; its submission id is never sent twice. */
@Entity('partner_outbound_readings')
export class PartnerOutboundReadingEntity {
  @PrimaryColumn({ name: 'submission_id', type: 'uuid' })
  submissionId: string;

  @Column({ name: 'partner_account', type: 'varchar', length: 32 })
  partnerAccount: string;

  @Column({ name: 'partner_meter', type: 'varchar', length: 32 })
  partnerMeter: string;

  @Column({ name: 'sent_at', type: 'timestamptz' })
  sentAt: Date;
}
