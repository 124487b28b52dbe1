import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { ListAuditLogUseCase } from './list-audit-log.use-case';

@Module({
  controllers: [AuditController],
  providers: [ListAuditLogUseCase],
})
export class AuditModule {}
