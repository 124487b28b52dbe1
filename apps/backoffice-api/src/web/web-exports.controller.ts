import {
  Controller,
  Get,
  Query,
  type StreamableFile,
  UseFilters,
  UseInterceptors,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { formatDate, moscowDate } from '@gw/domain';
import { ListAuditLogUseCase } from '../audit/list-audit-log.use-case';
import { csvFile } from '../http/csv-file';
import { ListReviewQueueUseCase } from '../review/list-review-queue.use-case';
import { ChannelStatsUseCase } from '../stats/channel-stats.use-case';
import { auditCsv, MAX_EXPORT_ROWS, queueCsv, statsCsv } from './csv-exports';
import { statsPeriod } from './page-messages';
import { WebPage } from './web-auth.guard';
import { WebExceptionFilter } from './web-exception.filter';
import { auditFilters, queueFilters, WebFormError } from './web-forms';
import { WebHeadersInterceptor } from './web-headers.interceptor';
import { auditLogQuery, reviewQueueQuery } from './web-queries';

type Form = Record<string, unknown>;

/**
 * The web UI's CSV files: what a page shows, with its filters, as a spreadsheet opens it (see
 * csvDocument), up to MAX_EXPORT_ROWS rows. Same session and roles as the pages.
 */
@ApiExcludeController()
@Controller('exports')
@UseFilters(WebExceptionFilter)
@UseInterceptors(WebHeadersInterceptor)
export class WebExportsController {
  constructor(
    private readonly queue: ListReviewQueueUseCase,
    private readonly audit: ListAuditLogUseCase,
    private readonly stats: ChannelStatsUseCase,
  ) {}

  @Get('queue.csv')
  @WebPage('operator')
  async queueExport(@Query() query: Form): Promise<StreamableFile> {
    const queue = await this.queue.execute(
      reviewQueueQuery(queueFilters(query), MAX_EXPORT_ROWS, 0),
    );
    return csvFile(`review-queue-${today()}`, queueCsv(queue.items));
  }

  @Get('audit.csv')
  @WebPage('admin')
  async auditExport(@Query() query: Form): Promise<StreamableFile> {
    const { filters, errors } = auditFilters(query);
    if (errors.from || errors.to) throw new WebFormError('from and to must be dates, from first');
    const page = await this.audit.execute(
      auditLogQuery({ ...filters, beforeId: '' }, MAX_EXPORT_ROWS),
    );
    return csvFile(`audit-${today()}`, auditCsv(page.entries));
  }

  @Get('stats.csv')
  @WebPage('supervisor')
  async statsExport(@Query() query: Form): Promise<StreamableFile> {
    const asked = statsPeriod(query, moscowDate(new Date()));
    if (!asked?.ok) throw new WebFormError('month, or from and to, must name at most 366 days');
    const stats = await this.stats.execute(asked.period.from, asked.period.to);
    return csvFile(`channel-stats-${stats.from}-${stats.to}`, statsCsv(stats));
  }
}

/** The queue and the audit change by the minute: their files carry the Moscow day made. */
const today = () => formatDate(moscowDate(new Date()));
