import { Module } from '@nestjs/common';
import {
  AuditLogRepository,
  MeterRepository,
  OutcomeOutboxRepository,
  PersistenceModule,
  ReadingRepository,
  ReadingRevisionRepository,
  TransactionRunner,
} from '@gw/persistence';
import { ReviewRepository } from '../persistence/review.repository';
import { ApproveSwappedUseCase } from './approve-swapped.use-case';
import { ClaimReviewItemUseCase } from './claim-review-item.use-case';
import { DecideReviewItemUseCase } from './decide-review-item.use-case';
import { DecideReviewItemsUseCase } from './decide-review-items.use-case';
import { GetReviewItemUseCase } from './get-review-item.use-case';
import { ListReviewQueueUseCase } from './list-review-queue.use-case';
import { ReviewController } from './review.controller';

@Module({
  imports: [
    PersistenceModule.forFeature([
      AuditLogRepository,
      MeterRepository,
      OutcomeOutboxRepository,
      ReadingRepository,
      ReadingRevisionRepository,
      ReviewRepository,
      TransactionRunner,
    ]),
  ],
  controllers: [ReviewController],
  providers: [
    ApproveSwappedUseCase,
    ClaimReviewItemUseCase,
    DecideReviewItemUseCase,
    DecideReviewItemsUseCase,
    GetReviewItemUseCase,
    ListReviewQueueUseCase,
  ],
  exports: [
    ApproveSwappedUseCase,
    ClaimReviewItemUseCase,
    DecideReviewItemUseCase,
    DecideReviewItemsUseCase,
    GetReviewItemUseCase,
    ListReviewQueueUseCase,
  ],
})
export class ReviewModule {}
