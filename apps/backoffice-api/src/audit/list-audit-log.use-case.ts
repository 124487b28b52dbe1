import { Injectable } from '@nestjs/common';
import { toMoscowIso } from '@gw/domain';
import { AuditLogRepository } from '@gw/persistence';
import { keysetPage } from '@gw/platform';
import type { AuditPageDto, AuditQueryDto } from './audit.dto';

@Injectable()
export class ListAuditLogUseCase {
  constructor(private readonly audit: AuditLogRepository) {}

  /**
   * One page of the audit log, newest first; `nextBeforeId` only when there are older entries (one
   * entry more is read to know).
   */
  async execute(query: AuditQueryDto): Promise<AuditPageDto> {
    const limit = query.limit ?? 100;
    const records = await this.audit.list({
      from: query.from ? new Date(query.from) : null,
      to: query.to ? new Date(query.to) : null,
      login: query.login ?? null,
      action: query.action ?? null,
      subject: query.subject ?? null,
      beforeId: query.beforeId ?? null,
      limit: limit + 1,
    });
    const page = keysetPage(records, limit, (record) => record.id);
    return {
      entries: page.rows.map((record) => ({ ...record, at: toMoscowIso(record.at) })),
      nextBeforeId: page.next,
    };
  }
}
