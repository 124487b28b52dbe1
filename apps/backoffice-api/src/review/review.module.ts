import { Module } from '@nestjs/common';
import {
  AuditLogRepository,
  MeterRepository,
  OutcomeOutboxRepository,
  PersistenceModule,
  ReadingRepository,
  ReadingRevisionRepository,
} from '@gw/persistence';
import { ReviewRepository } from '../persistence/review.repository';
import { ClaimReviewItemUseCase } from './claim-review-item.use-case';
import { DecideReviewItemUseCase } from './decide-review-item.use-case';
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
    ]),
  ],
  controllers: [ReviewController],
  providers: [
    ClaimReviewItemUseCase,
    DecideReviewItemUseCase,
    GetReviewItemUseCase,
    ListReviewQueueUseCase,
  ],
  exports: [
    ClaimReviewItemUseCase,
    DecideReviewItemUseCase,
    GetReviewItemUseCase,
    ListReviewQueueUseCase,
  ],
})
export class ReviewModule {}
