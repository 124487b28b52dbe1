import { Module } from '@nestjs/common';
import { AuditLogRepository, PersistenceModule } from '@gw/persistence';
import { AuditController } from './audit.controller';
import { ListAuditLogUseCase } from './list-audit-log.use-case';

@Module({
  imports: [PersistenceModule.forFeature([AuditLogRepository])],
  controllers: [AuditController],
  providers: [ListAuditLogUseCase],
  exports: [ListAuditLogUseCase],
})
export class AuditModule {}
