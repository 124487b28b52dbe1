import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Header,
  Inject,
  Ip,
  Param,
  Post,
  Query,
  Req,
  Res,
  StreamableFile,
  UseFilters,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { isUuid } from '@gw/contracts';
import { moscowDate } from '@gw/domain';
import type { Request, Response } from 'express';
import { LoginUseCase } from '../auth/login.use-case';
import { LogoutUseCase } from '../auth/logout.use-case';
import { ListAuditLogUseCase } from '../audit/list-audit-log.use-case';
import { BACKOFFICE_ENV, type BackofficeEnv } from '../backoffice.env';
import { NotFoundError } from '../backoffice.errors';
import { ListEstimatesUseCase } from '../estimates/list-estimates.use-case';
import { csvFile } from '../http/csv-file';
import { ClaimReviewItemUseCase } from '../review/claim-review-item.use-case';
import { ApproveSwappedUseCase } from '../review/approve-swapped.use-case';
import { DecideReviewItemUseCase } from '../review/decide-review-item.use-case';
import { DecideReviewItemsUseCase } from '../review/decide-review-items.use-case';
import { GetReviewItemUseCase } from '../review/get-review-item.use-case';
import { ListReviewQueueUseCase } from '../review/list-review-queue.use-case';
import type { ReviewQueueDto } from '../review/review.dto';
import { ChannelStatsUseCase } from '../stats/channel-stats.use-case';
import { LookupArshinUseCase } from '../verifications/lookup-arshin.use-case';
import { RecordVerificationUseCase } from '../verifications/record-verification.use-case';
import { RevalidateReadingsUseCase } from '../verifications/revalidate-readings.use-case';
import { MeterPageQuery } from './meter-page.query';
import { AUDIT_PAGE_SIZE, auditPage } from './pages/audit.page';
import { dashboardPage } from './pages/dashboard.page';
import { estimatesPage } from './pages/estimates.page';
import type { PageFrame } from './pages/layout.page';
import { meterPage } from './pages/meter.page';
import { reviewItemPage } from './pages/review-item.page';
import { QUEUE_PAGE_SIZE, type QueueFilters, reviewQueuePage } from './pages/review-queue.page';
import { searchPage } from './pages/search.page';
import { signInPage } from './pages/sign-in.page';
import { errorOf, noticeOf, statsPeriod } from './page-messages';
import { STYLESHEET } from './styles';
import { SignInFormGuard, WebPage, type WebRequest } from './web-auth.guard';
import { WebExceptionFilter } from './web-exception.filter';
import { FAVICON_SVG } from './favicon';
import { ERROR_TEXTS } from './ru-texts';
import { auditLogQuery, reviewQueueQuery } from './web-queries';
import {
  approveForm,
  type FieldErrors,
  auditFilters,
  bulkForm,
  estimatesQuery,
  MONTH_ERROR,
  PERIOD_ERROR,
  queueFilters,
  rejectForm,
  searchQuery,
  signInForm,
  swapForm,
  verificationForm,
  WebFormError,
} from './web-forms';
import { keepFor } from '@gw/platform';
import { WebHeadersInterceptor } from './web-headers.interceptor';
import {
  clearedSessionCookie,
  csrfToken,
  safeNext,
  sessionCookie,
  signInFormSecret,
} from './web-session';
import { WebSession } from './web-session.decorator';

type Session = NonNullable<PageFrame['session']>;
type Form = Record<string, unknown>;

/**
 * The operators' web UI at `/`: server-rendered pages in Russian over the same use cases as the
 * API. Signed in by a session cookie; every form carries the session's anti-forgery value, the
 * sign-in form that of a form cookie the sign-in page sets.
 */
@ApiExcludeController()
@Controller()
@UseFilters(WebExceptionFilter)
@UseInterceptors(WebHeadersInterceptor)
export class WebController {
  constructor(
    private readonly login: LoginUseCase,
    private readonly logout: LogoutUseCase,
    private readonly queue: ListReviewQueueUseCase,
    private readonly item: GetReviewItemUseCase,
    private readonly claims: ClaimReviewItemUseCase,
    private readonly decisions: DecideReviewItemUseCase,
    private readonly swaps: ApproveSwappedUseCase,
    private readonly bulkDecisions: DecideReviewItemsUseCase,
    private readonly verifications: RecordVerificationUseCase,
    private readonly arshin: LookupArshinUseCase,
    private readonly revalidation: RevalidateReadingsUseCase,
    private readonly stats: ChannelStatsUseCase,
    private readonly audit: ListAuditLogUseCase,
    private readonly meterPageQuery: MeterPageQuery,
    private readonly estimates: ListEstimatesUseCase,
    @Inject(BACKOFFICE_ENV) private readonly env: BackofficeEnv,
  ) {}

  @Get('assets/backoffice.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  stylesheet(@Res({ passthrough: true }) res: Response): string {
    keepFor(res, 3600);
    return STYLESHEET;
  }

  @Get('login')
  signInForm(@Query() query: Form, @Req() req: Request, @Res() res: Response): void {
    const secret = signInFormSecret(req, res, this.env.BACKOFFICE_COOKIE_SECURE);
    res.send(
      signInPage({ csrf: csrfToken(secret), next: safeNext(query.next), login: '', error: null }),
    );
  }

  // Forms default to empty: Express leaves the body undefined when a POST carries none.
  @Post('login')
  @UseGuards(SignInFormGuard)
  async signIn(
    @Body() form: Form = {},
    @Ip() clientIp: string,
    @Res() res: Response,
  ): Promise<void> {
    const { login, password } = signInForm(form);
    const { token } = await this.login.execute(login, password, clientIp);
    res.setHeader(
      'Set-Cookie',
      sessionCookie(
        token,
        this.env.BACKOFFICE_TOKEN_TTL_SECONDS,
        this.env.BACKOFFICE_COOKIE_SECURE,
      ),
    );
    res.redirect(303, safeNext(form.next));
  }

  @Post('logout')
  @WebPage('operator')
  async signOut(@Req() req: WebRequest, @Res() res: Response): Promise<void> {
    await this.logout.execute(req.operator);
    res.setHeader('Set-Cookie', clearedSessionCookie(this.env.BACKOFFICE_COOKIE_SECURE));
    res.redirect(303, '/login');
  }

  @Get('favicon.ico')
  @Header('Content-Type', 'image/svg+xml')
  favicon(@Res({ passthrough: true }) res: Response): string {
    keepFor(res, 86400);
    return FAVICON_SVG;
  }

  @Get()
  @WebPage('operator')
  async reviewQueue(
    @Query() query: Form,
    @WebSession() session: Session,
    @Res() res: Response,
  ): Promise<void> {
    const { ok, filters, errors } = queueFilters(query);
    res.status(ok ? 200 : 422).send(
      reviewQueuePage({
        session,
        queue: ok ? await this.queuePage(filters) : null,
        filters,
        errors,
        selectAll: query.all === '1',
        notice: noticeOf(query),
        error: errorOf(query),
      }),
    );
  }

  /**
   * One decision on the ticked items of the queue. The answer is the queue again (with the same
   * filters and page) and what became of each item; what was left out is shown at its field.
   */
  @Post('bulk-decisions')
  @WebPage('operator')
  async bulkDecision(
    @Body() form: Form = {},
    @Req() req: WebRequest,
    @WebSession() session: Session,
    @Res() res: Response,
  ): Promise<void> {
    // The page copies into the form the filters it showed the queue with.
    const { ok, filters } = queueFilters(form);
    if (!ok) throw new WebFormError('the queue filters are malformed');
    const read = bulkForm(form);
    const results = read.ok
      ? await this.bulkDecisions.execute(read.ids, read.decision, read.comment, req.operator)
      : null;
    const bulk = read.ok
      ? { selected: new Set<string>(), comment: '', errors: {}, results }
      : { selected: new Set(read.ids), comment: read.comment, errors: read.errors, results };
    res.status(read.ok ? 200 : 422).send(
      reviewQueuePage({
        session,
        queue: await this.queuePage(filters),
        filters,
        selectAll: false,
        bulk,
        notice: null,
        error: read.ok ? null : ERROR_TEXTS.BAD_FORM,
      }),
    );
  }

  private queuePage(filters: QueueFilters): Promise<ReviewQueueDto> {
    return this.queue.execute(
      reviewQueueQuery(filters, QUEUE_PAGE_SIZE, (filters.page - 1) * QUEUE_PAGE_SIZE),
    );
  }

  @Get('audit')
  @WebPage('admin')
  async auditLog(
    @Query() query: Form,
    @WebSession() session: Session,
    @Res() res: Response,
  ): Promise<void> {
    const { ok, filters, errors } = auditFilters(query);
    const page = ok ? await this.audit.execute(auditLogQuery(filters, AUDIT_PAGE_SIZE)) : null;
    res.status(ok ? 200 : 422).send(auditPage({ session, filters, errors, page }));
  }

  @Get('review/:id')
  @WebPage('operator')
  async reviewItem(
    @Param('id') id: string,
    @Query() query: Form,
    @WebSession() session: Session,
  ): Promise<string> {
    const item = await this.item.execute(uuid(id));
    return reviewItemPage({ session, item, notice: noticeOf(query), error: errorOf(query) });
  }

  @Post('review/:id/claim')
  @WebPage('operator')
  async claim(
    @Param('id') id: string,
    @WebSession() session: Session,
    @Res() res: Response,
  ): Promise<void> {
    await this.claims.claim(uuid(id), session.operator);
    res.redirect(303, `/review/${id}?done=claimed`);
  }

  @Post('review/:id/release')
  @WebPage('operator')
  async release(
    @Param('id') id: string,
    @WebSession() session: Session,
    @Res() res: Response,
  ): Promise<void> {
    await this.claims.release(uuid(id), session.operator);
    res.redirect(303, `/review/${id}?done=released`);
  }

  @Post('review/:id/approve')
  @WebPage('operator')
  async approve(
    @Param('id') id: string,
    @Body() form: Form = {},
    @WebSession() session: Session,
    @Res() res: Response,
  ): Promise<void> {
    const current = await this.item.execute(uuid(id));
    const read = approveForm(form, current.values);
    if (!read.ok)
      return this.refusedReviewForm(res, session, current.submissionId, 'approve', read, form);
    await this.decisions.approve(current.submissionId, read.value, session.operator);
    res.redirect(303, `/?done=approved&id=${id}`);
  }

  @Post('review/:id/approve-swapped')
  @WebPage('operator')
  async approveSwapped(
    @Param('id') id: string,
    @Body() form: Form = {},
    @WebSession() session: Session,
    @Res() res: Response,
  ): Promise<void> {
    const read = swapForm(form);
    if (!read.ok) return this.refusedReviewForm(res, session, id, 'swap', read, form);
    const result = await this.swaps.execute(uuid(id), read.value, session.operator);
    res.redirect(303, `/?done=swapped&id=${id}&n=${result.swapped.length}`);
  }

  @Post('review/:id/reject')
  @WebPage('operator')
  async reject(
    @Param('id') id: string,
    @Body() form: Form = {},
    @WebSession() session: Session,
    @Res() res: Response,
  ): Promise<void> {
    const read = rejectForm(form);
    if (!read.ok) return this.refusedReviewForm(res, session, id, 'reject', read, form);
    await this.decisions.reject(uuid(id), read.value, session.operator);
    res.redirect(303, `/?done=rejected&id=${id}`);
  }

  /** The review item again with the refused form as typed, its slips marked at their fields. */
  private async refusedReviewForm(
    res: Response,
    session: Session,
    id: string,
    name: 'approve' | 'reject' | 'swap',
    read: { errors: FieldErrors },
    form: Form,
  ): Promise<void> {
    const item = await this.item.execute(uuid(id));
    const refused = { name, given: form, errors: read.errors };
    res
      .status(422)
      .send(reviewItemPage({ session, item, notice: null, error: ERROR_TEXTS.BAD_FORM, refused }));
  }

  @Get('search')
  @WebPage('operator')
  async search(
    @Query() query: Form,
    @WebSession() session: Session,
    @Res() res: Response,
  ): Promise<void> {
    const { ok, filters, errors } = searchQuery(query);
    const { q } = filters;
    if (!ok) {
      res.status(422).send(searchPage({ session, q, account: null, error: errors.q ?? null }));
      return;
    }
    const found = await this.meterPageQuery.search(q);
    if (found.kind === 'meter')
      return res.redirect(303, `/meters/${encodeURIComponent(found.serial)}`);
    res.send(
      searchPage({
        session,
        q,
        account: found.kind === 'account' ? found.account : null,
        error:
          found.kind === 'none' && q !== ''
            ? 'Ничего не найдено: введите 10 цифр лицевого счёта или номер прибора.'
            : null,
      }),
    );
  }

  @Get('meters/:serial')
  @WebPage('operator')
  async meter(
    @Param('serial') serial: string,
    @Query() query: Form,
    @WebSession() session: Session,
  ): Promise<string> {
    const page = await this.meterPageQuery.load(serial, session.operator);
    return meterPage({ session, ...page, notice: noticeOf(query), error: errorOf(query) });
  }

  @Post('meters/:serial/verifications')
  @WebPage('supervisor')
  async verify(
    @Param('serial') serial: string,
    @Body() form: Form = {},
    @WebSession() session: Session,
    @Res() res: Response,
  ): Promise<void> {
    const read = verificationForm(form);
    if (!read.ok) {
      const page = await this.meterPageQuery.load(serial, session.operator);
      const refused = { name: 'verification', given: form, errors: read.errors };
      res
        .status(422)
        .send(meterPage({ session, ...page, notice: null, error: ERROR_TEXTS.BAD_FORM, refused }));
      return;
    }
    await this.verifications.execute(serial, read.value, session.operator);
    res.redirect(303, `/meters/${encodeURIComponent(serial)}?done=verified`);
  }

  @Post('meters/:serial/arshin')
  @WebPage('operator')
  async lookUpInArshin(
    @Param('serial') serial: string,
    @WebSession() session: Session,
    @Res() res: Response,
  ): Promise<void> {
    const report = await this.arshin.execute(serial, session.operator);
    const done =
      report.failed.length > 0
        ? 'arshin-failed'
        : report.recorded > 0
          ? `arshin-recorded&n=${report.revalidated}`
          : 'arshin-nothing';
    res.redirect(303, `/meters/${encodeURIComponent(serial)}?done=${done}`);
  }

  @Post('meters/:serial/revalidate')
  @WebPage('supervisor')
  async revalidate(
    @Param('serial') serial: string,
    @WebSession() session: Session,
    @Res() res: Response,
  ): Promise<void> {
    const result = await this.revalidation.execute(serial, session.operator);
    res.redirect(
      303,
      `/meters/${encodeURIComponent(serial)}?done=revalidated&n=${result.revalidated.length}`,
    );
  }

  @Get('dashboard')
  @WebPage('supervisor')
  async dashboard(
    @Query() query: Form,
    @WebSession() session: Session,
    @Res() res: Response,
  ): Promise<void> {
    const asked = statsPeriod(query, moscowDate(new Date()));
    if (!asked) throw new BadRequestException(MONTH_ERROR);
    const period = asked.ok ? asked.period : null;
    const stats = period ? await this.stats.execute(period.from, period.to) : null;
    res.status(asked.ok ? 200 : 422).send(
      dashboardPage({
        session,
        period,
        given: asked.given,
        errors: asked.ok ? {} : asked.errors,
        stats,
      }),
    );
  }

  @Get('estimates')
  @WebPage('operator')
  async estimatesList(
    @Query() query: Form,
    @WebSession() session: Session,
    @Res() res: Response,
  ): Promise<void> {
    const { ok, filters, errors } = estimatesQuery(query, moscowDate(new Date()));
    if (!ok) {
      res.status(422).send(estimatesPage({ session, page: null, refused: filters, errors }));
      return;
    }
    res.send(
      estimatesPage({ session, page: await this.estimates.page({ ...filters, limit: 100 }) }),
    );
  }

  @Get('estimates.csv')
  @WebPage('operator')
  estimatesFile(@Query() query: Form): StreamableFile {
    // The file is the whole period: a page's place in the list does not narrow it.
    const { filters, errors } = estimatesQuery(query, moscowDate(new Date()));
    if (errors.period) throw new BadRequestException(PERIOD_ERROR);
    return csvFile(`estimates-${filters.period}`, this.estimates.csv(filters.period));
  }
}

/** A review item id from the URL; anything but a UUID names no item. */
function uuid(id: string): string {
  if (!isUuid(id)) throw new NotFoundError(`review item ${id}`);
  return id;
}
