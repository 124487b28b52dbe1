import { Module } from '@nestjs/common';
import {
  AuditLogRepository,
  MeterRepository,
  PersistenceModule,
  ReadingRepository,
} from '@gw/persistence';
import { OutcomeOutboxRepository } from '../persistence/outcome-outbox.repository';
import { ReadingRevisionRepository } from '../persistence/reading-revision.repository';
import { ReviewRepository } from '../persistence/review.repository';
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
    ]),
  ],
  controllers: [ReviewController],
  providers: [
    ClaimReviewItemUseCase,
    DecideReviewItemUseCase,
    DecideReviewItemsUseCase,
    GetReviewItemUseCase,
    ListReviewQueueUseCase,
  ],
  exports: [
    ClaimReviewItemUseCase,
    DecideReviewItemUseCase,
    DecideReviewItemsUseCase,
    GetReviewItemUseCase,
    ListReviewQueueUseCase,
  ],
})
export class ReviewModule {}
