import {
  BadRequestException,
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
import { auditPage } from './pages/audit.page';
import { dashboardPage } from './pages/dashboard.page';
import type { PageFrame } from './pages/layout.page';
import { reviewQueuePage } from './pages/review-queue.page';
import { statsPeriod } from './page-messages';
import { WebPage } from './web-auth.guard';
import { WebExceptionFilter, WebPageInstead } from './web-exception.filter';
import { auditFilters, MONTH_ERROR, queueFilters } from './web-forms';
import { WebHeadersInterceptor } from './web-headers.interceptor';
import { auditLogQuery, reviewQueueQuery } from './web-queries';
import { WebSession } from './web-session.decorator';

type Form = Record<string, unknown>;
type Session = NonNullable<PageFrame['session']>;

/**
 * The web UI's CSV files: what a page shows, with its filters, as a spreadsheet opens it (see
 * csvDocument), up to MAX_EXPORT_ROWS rows. Same session and roles as the pages; filters the page
 * refuses get no file but that page, 422, with them marked.
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
  async queueExport(@Query() query: Form, @WebSession() session: Session): Promise<StreamableFile> {
    const { ok, filters, errors } = queueFilters(query);
    if (!ok) throw refused(reviewQueuePage({ session, queue: null, filters, errors }));
    const queue = await this.queue.execute(reviewQueueQuery(filters, MAX_EXPORT_ROWS, 0));
    return csvFile(`review-queue-${today()}`, queueCsv(queue.items));
  }

  @Get('audit.csv')
  @WebPage('admin')
  async auditExport(@Query() query: Form, @WebSession() session: Session): Promise<StreamableFile> {
    const { ok, filters, errors } = auditFilters(query);
    if (!ok) throw refused(auditPage({ session, filters, errors, page: null }));
    const page = await this.audit.execute(auditLogQuery(filters, MAX_EXPORT_ROWS));
    return csvFile(`audit-${today()}`, auditCsv(page.entries));
  }

  @Get('stats.csv')
  @WebPage('supervisor')
  async statsExport(@Query() query: Form, @WebSession() session: Session): Promise<StreamableFile> {
    const asked = statsPeriod(query, moscowDate(new Date()));
    if (!asked) throw new BadRequestException(MONTH_ERROR);
    if (!asked.ok)
      throw refused(
        dashboardPage({
          session,
          period: null,
          given: asked.given,
          errors: asked.errors,
          stats: null,
        }),
      );
    const stats = await this.stats.execute(asked.period.from, asked.period.to);
    return csvFile(`channel-stats-${stats.from}-${stats.to}`, statsCsv(stats));
  }
}

/** The queue and the audit change by the minute: their files carry the Moscow day made. */
const today = () => formatDate(moscowDate(new Date()));

/** The page with the filters refused, answered in place of the file. */
const refused = (page: string) => new WebPageInstead(422, page);
