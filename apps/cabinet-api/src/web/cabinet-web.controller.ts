import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Header,
  Ip,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { issuedDocumentPeriods, METER_SERIAL, moscowDate } from '@gw/domain';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { LinkAccountUseCase } from '../accounts/link-account.use-case';
import { ListAccountMetersUseCase } from '../accounts/list-account-meters.use-case';
import { ListLinkedAccountsUseCase } from '../accounts/list-linked-accounts.use-case';
import { LinkedAccountGuard } from '../auth/linked-account.guard';
import { SessionTokens } from '../auth/session-tokens.service';
import { CabinetEnv } from '../cabinet.env';
import { CabinetError } from '../cabinet.errors';
import { Clock } from '../clock';
import { ConfirmRegistrationUseCase } from '../registration/confirm-registration.use-case';
import { RegisterResidentUseCase } from '../registration/register-resident.use-case';
import { SubmitReadingsUseCase } from '../readings/submit-readings.use-case';
import { ConfirmSignInUseCase } from '../sessions/confirm-sign-in.use-case';
import { RequestSignInCodeUseCase } from '../sessions/request-sign-in-code.use-case';
import { CabinetPagesQuery } from './cabinet-pages.query';
import { accountPage } from './pages/account.page';
import { accountsPage } from './pages/accounts.page';
import { historyPage } from './pages/history.page';
import type { FieldErrors } from './pages/layout.page';
import { registerPage } from './pages/register.page';
import { resultPage } from './pages/result.page';
import { codePage, signInPage } from './pages/sign-in.page';
import { readingForm } from './reading-form';
import {
  type PostedForm,
  PublicForm,
  PublicFormGuard,
  ResidentWebGuard,
  type ResidentWebRequest,
} from './resident-web.guard';
import { STYLESHEET } from './styles';
import { refusalOf, WebExceptionFilter } from './web-exception.filter';
import { codeForm, paymentDocumentForm, registrationForm, signInForm, typed } from './web-forms';
import { keepFor, safeNext, WebHeadersInterceptor } from '@gw/platform';
import { clearedSessionCookie, csrfToken, formSecret, sessionCookie } from './web-session';

type Form = Record<string, unknown>;

const NOTICES: Record<string, string> = {
  registered: 'Регистрация завершена. Добро пожаловать в личный кабинет!',
  'signed-in': 'Вы вошли в личный кабинет.',
  linked: 'Лицевой счёт добавлен.',
  'signed-out': 'Вы вышли из личного кабинета.',
};
/** The notice of `?done=`: only one of NOTICES' own, never a member every object has. */
const noticeOf = (query: Form) =>
  typeof query.done === 'string' && Object.hasOwn(NOTICES, query.done) ? NOTICES[query.done] : null;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_RESULTS = 50;

/**
 * The residents' pages at `/`: server-rendered, in Russian, usable without script, over the same
 * use cases as the JSON API. A session cookie holds the API's session token; every form carries
 * an anti-forgery value (of the session, or of the form cookie before sign-in).
 */
@ApiExcludeController()
@Controller()
@UseFilters(WebExceptionFilter)
@UseInterceptors(WebHeadersInterceptor)
export class CabinetWebController {
  constructor(
    private readonly env: CabinetEnv,
    private readonly clock: Clock,
    private readonly tokens: SessionTokens,
    private readonly register: RegisterResidentUseCase,
    private readonly confirmRegistration: ConfirmRegistrationUseCase,
    private readonly requestCode: RequestSignInCodeUseCase,
    private readonly confirmSignIn: ConfirmSignInUseCase,
    private readonly linkedAccounts: ListLinkedAccountsUseCase,
    private readonly linkAccount: LinkAccountUseCase,
    private readonly accountMeters: ListAccountMetersUseCase,
    private readonly submitReadings: SubmitReadingsUseCase,
    private readonly pages: CabinetPagesQuery,
  ) {}

  @Get('assets/cabinet.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  stylesheet(@Res({ passthrough: true }) res: Response): string {
    keepFor(res, 3600);
    return STYLESHEET;
  }

  @Get()
  home(@Res() res: Response): void {
    res.redirect(303, '/accounts');
  }

  @Get('login')
  signInForm(@Req() req: Request, @Res() res: Response, @Query() query: Form): void {
    res.send(
      signInPage({
        csrf: this.anonymousCsrf(req, res),
        email: '',
        next: nextPage(query.next),
        errors: {},
        notice: noticeOf(query),
      }),
    );
  }

  @Post('login')
  @UseGuards(PublicFormGuard)
  async signIn(
    @PublicForm() { form, csrf, clientIp }: PostedForm,
    @Res() res: Response,
  ): Promise<void> {
    const parsed = signInForm(form);
    const again = (errors: FieldErrors, status: number) =>
      res.status(status).send(
        signInPage({
          csrf,
          email: typed(form, 'email'),
          next: nextPage(form.next),
          errors,
          notice: null,
        }),
      );
    if (!parsed.ok) return void again(parsed.errors, 422);
    try {
      await this.requestCode.execute(parsed.value.email, clientIp);
    } catch (error) {
      const refusal = refusalOf(error, res);
      return void again({ '': refusal.text }, refusal.status);
    }
    res
      .status(200)
      .send(this.signInCodePage(csrf, parsed.value.email, nextPage(form.next), {}, null));
  }

  @Post('login/code')
  @UseGuards(PublicFormGuard)
  async signInCode(
    @PublicForm() { form, csrf, clientIp }: PostedForm,
    @Res() res: Response,
  ): Promise<void> {
    const email = signInForm(form);
    if (!email.ok) return void res.redirect(303, '/login');
    const next = nextPage(form.next);
    await this.signInWithCode(
      res,
      form,
      (errors, error) => this.signInCodePage(csrf, email.value.email, next, errors, error),
      (code) => this.confirmSignIn.execute(email.value.email, code, clientIp),
      next === '/accounts' ? '/accounts?done=signed-in' : next,
    );
  }

  @Get('register')
  registrationForm(@Req() req: Request, @Res() res: Response): void {
    const periods = this.documentPeriods();
    res.send(
      registerPage({
        csrf: this.anonymousCsrf(req, res),
        values: { accountNumber: '', period: periods[0], amountCharged: '', email: '', phone: '' },
        periods,
        errors: {},
        error: null,
      }),
    );
  }

  @Post('register')
  @UseGuards(PublicFormGuard)
  async registration(
    @PublicForm() { form, csrf, clientIp }: PostedForm,
    @Res() res: Response,
  ): Promise<void> {
    const periods = this.documentPeriods();
    const again = (errors: FieldErrors, error: string | null, status: number) =>
      res.status(status).send(
        registerPage({
          csrf,
          values: {
            accountNumber: typed(form, 'accountNumber'),
            period: typed(form, 'period'),
            amountCharged: typed(form, 'amountCharged'),
            email: typed(form, 'email'),
            phone: typed(form, 'phone'),
          },
          periods,
          errors,
          error,
        }),
      );
    const parsed = registrationForm(form, periods);
    if (!parsed.ok) return void again(parsed.errors, null, 422);
    try {
      const { registrationId } = await this.register.execute({ ...parsed.value, clientIp });
      res.redirect(303, `/register/${registrationId}`);
    } catch (error) {
      const refusal = refusalOf(error, res);
      again({}, refusal.text, refusal.status);
    }
  }

  @Get('register/:id')
  registrationCodeForm(@Param('id') id: string, @Req() req: Request, @Res() res: Response): void {
    res.send(this.registrationCodePage(registrationId(id), this.anonymousCsrf(req, res), {}, null));
  }

  @Post('register/:id')
  @UseGuards(PublicFormGuard)
  async confirmRegistrationCode(
    @Param('id') id: string,
    @PublicForm() { form, csrf, clientIp }: PostedForm,
    @Res() res: Response,
  ): Promise<void> {
    const registration = registrationId(id);
    await this.signInWithCode(
      res,
      form,
      (errors, error) => this.registrationCodePage(registration, csrf, errors, error),
      (code) => this.confirmRegistration.execute(registration, code, clientIp),
      '/accounts?done=registered',
    );
  }

  @Post('logout')
  @UseGuards(ResidentWebGuard)
  async signOut(@Req() req: ResidentWebRequest, @Res() res: Response): Promise<void> {
    // As the API's DELETE /v1/cabinet/sessions/current: this session's token is refused from now on.
    if (req.residentSession) await this.tokens.end(req.residentSession);
    res.setHeader('Set-Cookie', clearedSessionCookie(this.env.CABINET_COOKIE_SECURE));
    res.redirect(303, '/login?done=signed-out');
  }

  @Get('accounts')
  @UseGuards(ResidentWebGuard)
  async accounts(
    @Req() req: ResidentWebRequest,
    @Res() res: Response,
    @Query() query: Form,
  ): Promise<void> {
    res.send(await this.accountsView(req, {}, {}, null, noticeOf(query)));
  }

  @Post('accounts')
  @UseGuards(ResidentWebGuard)
  async link(
    @Req() req: ResidentWebRequest,
    @Res() res: Response,
    @Body() form: Form = {},
    @Ip() clientIp: string,
  ): Promise<void> {
    const parsed = paymentDocumentForm(form, this.documentPeriods());
    if (!parsed.ok)
      return void res
        .status(422)
        .send(await this.accountsView(req, form, parsed.errors, null, null));
    try {
      await this.linkAccount.execute(req.residentId as string, parsed.value, clientIp);
    } catch (error) {
      const refusal = refusalOf(error, res);
      return void res
        .status(refusal.status)
        .send(await this.accountsView(req, form, {}, refusal.text, null));
    }
    res.redirect(303, `/accounts/${parsed.value.accountNumber}?done=linked`);
  }

  @Get('accounts/:accountNumber')
  @UseGuards(ResidentWebGuard, LinkedAccountGuard)
  async account(
    @Param('accountNumber') accountNumber: string,
    @Req() req: ResidentWebRequest,
    @Res() res: Response,
    @Query() query: Form,
  ): Promise<void> {
    res.send(
      accountPage({
        csrf: sessionCsrf(req),
        account: await this.accountMeters.execute(accountNumber),
        idempotencyKey: randomUUID(),
        typed: {},
        errors: {},
        error: null,
        notice: noticeOf(query),
      }),
    );
  }

  @Post('accounts/:accountNumber/readings')
  @UseGuards(ResidentWebGuard, LinkedAccountGuard)
  async passReadings(
    @Param('accountNumber') accountNumber: string,
    @Req() req: ResidentWebRequest,
    @Res() res: Response,
    @Body() form: Form = {},
  ): Promise<void> {
    const account = await this.accountMeters.execute(accountNumber);
    const parsed = readingForm(form, account.meters);
    const key = parsed.idempotencyKey;
    // The form keeps its key, so sending it again cannot store its readings twice; a key whose
    // first readings differ from the form's is replaced, so that the form can be sent again.
    const again = (errors: FieldErrors, error: string | null, status: number, freshKey = false) =>
      res.status(status).send(
        accountPage({
          csrf: sessionCsrf(req),
          account,
          idempotencyKey: freshKey ? randomUUID() : (key ?? randomUUID()),
          typed: parsed.typed,
          errors,
          error,
          notice: null,
        }),
      );
    if (Object.keys(parsed.errors).length > 0) return void again(parsed.errors, null, 422);
    try {
      const queued = await this.submitReadings.execute({
        residentId: req.residentId as string,
        accountNumber,
        readings: parsed.readings,
        idempotencyKey: key,
      });
      const results = queued.readings
        .map((r) => `r=${r.submissionId}:${encodeURIComponent(r.meterSerial)}`)
        .join('&');
      res.redirect(303, `/accounts/${accountNumber}/readings?${results}`);
    } catch (error) {
      const refusal = refusalOf(error, res);
      const reused = error instanceof CabinetError && error.code === 'IDEMPOTENCY_KEY_REUSED';
      again({}, refusal.text, refusal.status, reused);
    }
  }

  @Get('accounts/:accountNumber/readings')
  @UseGuards(ResidentWebGuard, LinkedAccountGuard)
  async readingResults(
    @Param('accountNumber') accountNumber: string,
    @Req() req: ResidentWebRequest,
    @Res() res: Response,
    @Query('r') r: unknown,
  ): Promise<void> {
    const readings = await this.pages.decisions(accountNumber, passedReadings(r));
    const refreshSeconds = 3;
    if (readings.some((x) => x.decided === null)) res.set('Refresh', String(refreshSeconds));
    res.send(resultPage({ csrf: sessionCsrf(req), accountNumber, readings, refreshSeconds }));
  }

  @Get('accounts/:accountNumber/meters/:serial')
  @UseGuards(ResidentWebGuard, LinkedAccountGuard)
  async meterHistory(
    @Param('accountNumber') accountNumber: string,
    @Param('serial') serial: string,
    @Req() req: ResidentWebRequest,
    @Res() res: Response,
  ): Promise<void> {
    const view = await this.pages.meterHistory(accountNumber, serial);
    res.send(historyPage({ csrf: sessionCsrf(req), accountNumber, ...view }));
  }

  /** The periods of the payment documents that prove an account today (the last three issued). */
  private documentPeriods(): string[] {
    return issuedDocumentPeriods(moscowDate(this.clock.now()));
  }

  private anonymousCsrf(req: Request, res: Response): string {
    return csrfToken(formSecret(req, res, this.env.CABINET_COOKIE_SECURE));
  }

  /**
   * The last step of sign-in and registration: the code from the e-mail starts a session, or the
   * code page comes back with why not.
   */
  private async signInWithCode(
    res: Response,
    form: Form,
    page: (errors: FieldErrors, error: string | null) => string,
    confirm: (code: string) => Promise<{ token: string; expiresAt: Date }>,
    next: string,
  ): Promise<void> {
    const code = codeForm(form);
    if (!code.ok) return void res.status(422).send(page(code.errors, null));
    try {
      this.startSession(res, await confirm(code.value.code));
    } catch (error) {
      const refusal = refusalOf(error, res);
      return void res.status(refusal.status).send(page({}, refusal.text));
    }
    res.redirect(303, next);
  }

  private startSession(res: Response, session: { token: string; expiresAt: Date }): void {
    const seconds = Math.floor((session.expiresAt.getTime() - this.clock.now().getTime()) / 1000);
    res.setHeader(
      'Set-Cookie',
      sessionCookie(session.token, Math.max(1, seconds), this.env.CABINET_COOKIE_SECURE),
    );
  }

  private signInCodePage(
    csrf: string,
    email: string,
    next: string,
    errors: FieldErrors,
    error: string | null,
  ) {
    return codePage({
      csrf,
      title: 'Код для входа',
      action: '/login/code',
      sentTo: email,
      hidden: { email, next },
      errors,
      error,
      again: { href: '/login', text: 'запросите код ещё раз' },
    });
  }

  private registrationCodePage(
    id: string,
    csrf: string,
    errors: FieldErrors,
    error: string | null,
  ) {
    return codePage({
      csrf,
      title: 'Подтверждение почты',
      action: `/register/${id}`,
      sentTo: null,
      hidden: {},
      errors,
      error,
      again: { href: '/register', text: 'зарегистрируйтесь ещё раз' },
    });
  }

  private async accountsView(
    req: ResidentWebRequest,
    form: Form,
    errors: FieldErrors,
    error: string | null,
    notice: string | null,
  ): Promise<string> {
    const periods = this.documentPeriods();
    const { accounts } = await this.linkedAccounts.execute(req.residentId as string);
    return accountsPage({
      csrf: sessionCsrf(req),
      accounts,
      values: {
        accountNumber: typed(form, 'accountNumber'),
        period: typed(form, 'period') || periods[0],
        amountCharged: typed(form, 'amountCharged'),
      },
      periods,
      errors,
      error,
      notice,
    });
  }
}

/** Where to go after sign-in: a page of the cabinet the visitor was sent away from, else the accounts. */
function nextPage(next: unknown): string {
  const path = safeNext(next);
  return path === '/' || path.startsWith('/login') ? '/accounts' : path;
}

const sessionCsrf = (req: ResidentWebRequest) => csrfToken(req.sessionToken as string);

/** A registration id from the URL; anything but a UUID names none. */
function registrationId(id: string): string {
  if (!UUID.test(id)) throw new BadRequestException('registration id must be a UUID');
  return id;
}

/** The `r=<submission id>:<serial>` parameters of the result page. */
function passedReadings(r: unknown): { submissionId: string; meterSerial: string }[] {
  const list = (Array.isArray(r) ? r : [r]).filter((x): x is string => typeof x === 'string');
  const parsed = list.map((x) => {
    const at = x.indexOf(':');
    return { submissionId: x.slice(0, at), meterSerial: x.slice(at + 1) };
  });
  if (
    parsed.length === 0 ||
    parsed.length > MAX_RESULTS ||
    !parsed.every((p) => UUID.test(p.submissionId) && METER_SERIAL.test(p.meterSerial))
  )
    throw new BadRequestException('r must name 1 to 50 readings as <submission id>:<serial>');
  return parsed;
}
