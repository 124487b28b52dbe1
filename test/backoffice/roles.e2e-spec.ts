import type { OperatorRole } from '@gw/persistence';
import { randomUUID } from 'node:crypto';
import { OperatorTokens } from '../../apps/backoffice-api/src/auth/operator-tokens';
import { CredentialStatusRepository } from '../../apps/ctl/src/persistence/credential-status.repository';
import { registryRecord, seedMeters } from '../support/factories';
import { bearer, ReviewStack } from './review-harness';

/** `disabled`: an admin signed in, then disabled with `ctl operator disable`. */
type Caller = 'anonymous' | 'disabled' | OperatorRole;
const CALLERS: Caller[] = ['anonymous', 'disabled', 'operator', 'supervisor', 'admin'];

/**
 * What a caller gets once past authorisation: unknown ids give 404, lists give 200; a web form
 * sends the browser back to its page (`303 <path>`). `minimum: null` needs no sign-in.
 */
interface Route {
  method: 'get' | 'post';
  path: string;
  body?: object;
  minimum: OperatorRole | null;
  allowed: number | string;
  /** A web UI route: signed in by the session cookie, a POST with the form's anti-forgery value. */
  web?: true;
  /** Logging out ends the session: each caller sends one of its own. */
  endsSession?: true;
}

const id = randomUUID();
const verification = { verifiedOn: '2026-11-01', intervalMonths: 72, certificateNo: 'C-1' };

const ROUTES: Route[] = [
  { method: 'post', path: '/v1/auth/login', body: {}, minimum: null, allowed: 400 },
  { method: 'post', path: '/v1/auth/logout', minimum: 'operator', allowed: 204, endsSession: true },
  { method: 'get', path: `/v1/submissions/${id}`, minimum: 'operator', allowed: 404 },
  { method: 'get', path: '/v1/accounts/9999999999/meters', minimum: 'operator', allowed: 404 },
  { method: 'get', path: '/v1/meters/NO-SUCH/readings', minimum: 'operator', allowed: 404 },
  { method: 'get', path: '/v1/review?status=open', minimum: 'operator', allowed: 200 },
  { method: 'get', path: `/v1/review/${id}`, minimum: 'operator', allowed: 404 },
  { method: 'get', path: `/v1/review/${id}/slip-image`, minimum: 'operator', allowed: 404 },
  { method: 'post', path: `/v1/review/${id}/claim`, minimum: 'operator', allowed: 404 },
  { method: 'post', path: `/v1/review/${id}/release`, minimum: 'operator', allowed: 404 },
  {
    method: 'post',
    path: `/v1/review/${id}/approve`,
    body: { comment: 'ok' },
    minimum: 'operator',
    allowed: 404,
  },
  {
    method: 'post',
    path: `/v1/review/${id}/approve-swapped`,
    body: { comment: 'swapped' },
    minimum: 'operator',
    allowed: 404,
  },
  {
    method: 'post',
    path: `/v1/review/${id}/reject`,
    body: { comment: 'no' },
    minimum: 'operator',
    allowed: 404,
  },
  { method: 'get', path: '/v1/meters/NO-SUCH/verifications', minimum: 'operator', allowed: 404 },
  {
    method: 'post',
    path: '/v1/meters/NO-SUCH/verifications/arshin',
    minimum: 'operator',
    allowed: 404,
  },
  { method: 'get', path: '/v1/estimates?period=2026-10', minimum: 'operator', allowed: 200 },
  { method: 'get', path: '/v1/estimates/export?period=2026-10', minimum: 'operator', allowed: 200 },
  {
    method: 'post',
    path: '/v1/meters/NO-SUCH/verifications',
    body: verification,
    minimum: 'supervisor',
    allowed: 404,
  },
  { method: 'post', path: '/v1/meters/NO-SUCH/revalidate', minimum: 'supervisor', allowed: 404 },
  { method: 'get', path: '/v1/stats/channels', minimum: 'supervisor', allowed: 200 },
  { method: 'get', path: '/v1/audit', minimum: 'admin', allowed: 200 },
];

/** The web UI's pages, files and forms; unknown ids give 404 pages, refused forms their page. */
const WEB_ROUTES: Route[] = [
  { method: 'get', path: '/login', minimum: null, allowed: 200 },
  // Without the sign-in page's form cookie: refused for everyone, signed in or not.
  {
    method: 'post',
    path: '/login',
    body: { login: 'x', password: 'y' },
    minimum: null,
    allowed: 403,
  },
  { method: 'get', path: '/assets/backoffice.css', minimum: null, allowed: 200 },
  { method: 'get', path: '/favicon.ico', minimum: null, allowed: 200 },
  {
    method: 'post',
    path: '/logout',
    minimum: 'operator',
    allowed: '303 /login',
    endsSession: true,
  },
  { method: 'get', path: '/', minimum: 'operator', allowed: 200 },
  {
    method: 'post',
    path: '/bulk-decisions',
    body: { q: 'NO-SUCH', ids: id, decision: 'approve', comment: 'ok' },
    minimum: 'operator',
    allowed: 200,
  },
  { method: 'get', path: `/review/${id}`, minimum: 'operator', allowed: 404 },
  { method: 'get', path: `/review/${id}/slip-image`, minimum: 'operator', allowed: 404 },
  {
    method: 'post',
    path: `/review/${id}/claim`,
    minimum: 'operator',
    allowed: `303 /review/${id}`,
  },
  {
    method: 'post',
    path: `/review/${id}/release`,
    minimum: 'operator',
    allowed: `303 /review/${id}`,
  },
  {
    method: 'post',
    path: `/review/${id}/approve`,
    body: { comment: 'ok' },
    minimum: 'operator',
    allowed: `303 /review/${id}`,
  },
  {
    method: 'post',
    path: `/review/${id}/approve-swapped`,
    body: { comment: 'swapped' },
    minimum: 'operator',
    allowed: `303 /review/${id}`,
  },
  {
    method: 'post',
    path: `/review/${id}/reject`,
    body: { comment: 'no' },
    minimum: 'operator',
    allowed: `303 /review/${id}`,
  },
  { method: 'get', path: '/search?q=NO-SUCH', minimum: 'operator', allowed: 200 },
  { method: 'get', path: '/meters/NO-SUCH', minimum: 'operator', allowed: 404 },
  {
    method: 'post',
    path: '/meters/NO-SUCH/arshin',
    minimum: 'operator',
    allowed: '303 /meters/NO-SUCH',
  },
  { method: 'get', path: '/estimates?period=2026-10', minimum: 'operator', allowed: 200 },
  { method: 'get', path: '/estimates.csv?period=2026-10', minimum: 'operator', allowed: 200 },
  { method: 'get', path: '/exports/queue.csv?q=NO-SUCH', minimum: 'operator', allowed: 200 },
  {
    method: 'post',
    path: '/meters/NO-SUCH/verifications',
    body: verification,
    minimum: 'supervisor',
    allowed: '303 /meters/NO-SUCH',
  },
  {
    method: 'post',
    path: '/meters/NO-SUCH/revalidate',
    minimum: 'supervisor',
    allowed: '303 /meters/NO-SUCH',
  },
  { method: 'get', path: '/dashboard?month=2026-11', minimum: 'supervisor', allowed: 200 },
  { method: 'get', path: '/exports/stats.csv?month=2026-11', minimum: 'supervisor', allowed: 200 },
  { method: 'get', path: '/audit?login=nobody', minimum: 'admin', allowed: 200 },
  { method: 'get', path: '/exports/audit.csv?login=nobody', minimum: 'admin', allowed: 200 },
].map((route): Route => ({ ...(route as Route), web: true }));

const RANK: Record<OperatorRole, number> = { operator: 1, supervisor: 2, admin: 3 };

/** The router's path of a route, as Express registers it (`/v1/review/:id`). */
function pattern(path: string): string {
  return path
    .split('?')[0]
    .replace(id, ':id')
    .replace('/v1/submissions/:id', '/v1/submissions/:submissionId')
    .replace('9999999999', ':accountNumber')
    .replace('NO-SUCH', ':serial');
}

/** A status, or where a redirect sends the browser: `303 /login`. */
function answer(res: { status: number; headers: Record<string, string> }): number | string {
  return res.status === 303 ? `303 ${res.headers.location.split('?')[0]}` : res.status;
}

function expected(route: Route, caller: Caller): number | string {
  if (route.minimum === null) return route.allowed;
  if (caller === 'anonymous' || caller === 'disabled') {
    if (!route.web) return 401;
    // The slip image is fetched by the review page, not visited: 401 instead of the sign-in page.
    return route.path.endsWith('/slip-image') ? 401 : '303 /login';
  }
  return RANK[caller] >= RANK[route.minimum] ? route.allowed : 403;
}

describe('backoffice roles on every route (route x role -> status)', () => {
  let stack: ReviewStack;
  const sessions = new Map<Caller, { token: string; cookie: string; csrf: string }>();
  const verify = jest.spyOn(OperatorTokens.prototype, 'verify');

  beforeAll(async () => {
    // Over two hundred requests in a few seconds, from one address.
    stack = await ReviewStack.start({
      CLIENT_RATE_LIMIT_PER_SECOND: '1000',
      CLIENT_RATE_LIMIT_BURST: '1000',
    });
    for (const role of ['operator', 'supervisor', 'admin'] as OperatorRole[])
      sessions.set(role, await stack.webSession(role));
    const disabled = await stack.webSession('admin');
    await new CredentialStatusRepository(stack.db).setDisabled('operator', disabled.login, true, {
      login: 'ctl',
      role: 'ctl',
    });
    sessions.set('disabled', disabled);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const table = [...ROUTES, ...WEB_ROUTES].flatMap((route) =>
    CALLERS.map(
      (caller) => [`${route.method.toUpperCase()} ${route.path}`, caller, route] as const,
    ),
  );

  it.each(table)('%s as %s', async (_name, caller, route) => {
    const session =
      route.endsSession && caller !== 'anonymous' && caller !== 'disabled'
        ? await stack.webSession(caller)
        : sessions.get(caller);
    verify.mockClear();
    const req = stack.http()[route.method](route.path);
    if (session && route.web) req.set('Cookie', session.cookie);
    else if (session) req.set(bearer(session.token));
    const res = await (route.web && route.method === 'post'
      ? req.type('form').send({ ...route.body, _csrf: session?.csrf ?? '' })
      : route.body
        ? req.send(route.body)
        : req);
    expect(answer(res)).toBe(expected(route, caller));
    // The session is looked up once per request, however the route's role is declared.
    expect(verify).toHaveBeenCalledTimes(session && route.minimum !== null ? 1 : 0);
    if (res.status === 403 && route.minimum !== null)
      expect(route.web ? res.text : res.body.message).toContain(
        route.web ? 'Нет доступа' : `this call needs the role ${route.minimum} or above`,
      );
  });

  /** What each page offers (links and forms), which only the roles the matrix admits may see. */
  const OFFERS: { page: 'queue' | 'meter'; routes: string[] }[] = [
    {
      page: 'queue',
      routes: [
        'GET /',
        'GET /search',
        'GET /estimates',
        'GET /dashboard',
        'GET /audit',
        'GET /exports/queue.csv',
        'POST /logout',
      ],
    },
    {
      page: 'meter',
      routes: [
        'POST /meters/:serial/arshin',
        'POST /meters/:serial/verifications',
        'POST /meters/:serial/revalidate',
      ],
    },
  ];

  it.each(['operator', 'supervisor', 'admin'] as OperatorRole[])(
    'offers a %s exactly the pages and forms of its role',
    async (role) => {
      const [meter] = await seedMeters(stack.db, [registryRecord()]);
      const paths = { queue: '/', meter: `/meters/${encodeURIComponent(meter.serial)}` };
      for (const { page, routes } of OFFERS) {
        const html = (
          await stack
            .http()
            .get(paths[page])
            .set('Cookie', sessions.get(role)?.cookie ?? '')
            .expect(200)
        ).text;
        const offered = new Set(
          [...html.matchAll(/(?:href|action)="([^"?#]*)/g)].map((m) =>
            m[1].replace(encodeURIComponent(meter.serial), ':serial'),
          ),
        );
        for (const name of routes) {
          const route = WEB_ROUTES.find(
            (r) => `${r.method.toUpperCase()} ${pattern(r.path)}` === name,
          ) as Route;
          const allowed = RANK[role] >= RANK[route.minimum as OperatorRole];
          expect({ page, name, offered: offered.has(name.split(' ')[1]) }).toEqual({
            page,
            name,
            offered: allowed,
          });
        }
      }
    },
  );

  it('has every route of the app in the matrix (the platform’s /docs, /health and /metrics aside)', () => {
    const router = stack.app.getHttpAdapter().getInstance().router;
    const registered = (router.stack as { route?: { path: string; methods: object } }[])
      .flatMap((layer) =>
        layer.route
          ? Object.keys(layer.route.methods).map((m) => `${m.toUpperCase()} ${layer.route?.path}`)
          : [],
      )
      .filter((route) => !/ \/(docs|health\/|metrics)/.test(route));
    const matrix = [...ROUTES, ...WEB_ROUTES].map(
      (route) => `${route.method.toUpperCase()} ${pattern(route.path)}`,
    );
    expect([...registered].sort()).toEqual([...matrix].sort());
  });

  it('documents every route with bearer auth and its DTOs at /docs-json', async () => {
    const doc = (await stack.http().get('/docs-json').expect(200)).body;
    for (const route of ROUTES.filter((r) => r.minimum !== null)) {
      const template = pattern(route.path).replace(/:(\w+)/g, '{$1}');
      const op = doc.paths[template]?.[route.method];
      expect({ template, security: op?.security }).toEqual({
        template,
        security: [{ bearer: [] }],
      });
      expect({ template, has401: '401' in op.responses, has403: '403' in op.responses }).toEqual({
        template,
        has401: true,
        has403: true,
      });
      expect({ template, forbidden: op.responses['403'].description }).toEqual({
        template,
        forbidden: `Needs the role ${route.minimum} or above`,
      });
    }
    // Operator tokens are the back office's own, not JWTs.
    expect(doc.components.securitySchemes.bearer).toEqual({
      type: 'http',
      scheme: 'bearer',
      description: expect.stringContaining('<key id>.<payload>.<signature>'),
    });
    expect(doc.components.schemas).toHaveProperty('ReviewQueueDto');
    expect(doc.components.schemas).toHaveProperty('ChannelStatsDto');
    expect(doc.components.schemas).toHaveProperty('AuditPageDto');
    expect(doc.components.schemas).toHaveProperty('RevalidationDto');
  });
});
