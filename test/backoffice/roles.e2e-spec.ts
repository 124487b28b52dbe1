import type { OperatorRole } from '@gw/persistence';
import { randomUUID } from 'node:crypto';
import { bearer, ReviewStack } from './review-harness';

type Caller = 'anonymous' | OperatorRole;
const CALLERS: Caller[] = ['anonymous', 'operator', 'supervisor', 'admin'];

/** What a caller gets once past authorisation: unknown ids give 404, lists give 200. */
interface Route {
  method: 'get' | 'post';
  path: string;
  body?: object;
  minimum: OperatorRole;
  allowed: number;
}

const id = randomUUID();
const verification = { verifiedOn: '2026-11-01', intervalMonths: 72, certificateNo: 'C-1' };

const ROUTES: Route[] = [
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

const RANK: Record<OperatorRole, number> = { operator: 1, supervisor: 2, admin: 3 };

function expected(route: Route, caller: Caller): number {
  if (caller === 'anonymous') return 401;
  return RANK[caller] >= RANK[route.minimum] ? route.allowed : 403;
}

describe('backoffice roles on every route (route x role -> status)', () => {
  let stack: ReviewStack;
  const tokens = new Map<Caller, string>();

  beforeAll(async () => {
    stack = await ReviewStack.start();
    for (const role of ['operator', 'supervisor', 'admin'] as OperatorRole[])
      tokens.set(role, (await stack.operator(role)).token);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const table = ROUTES.flatMap((route) =>
    CALLERS.map(
      (caller) => [`${route.method.toUpperCase()} ${route.path}`, caller, route] as const,
    ),
  );

  it.each(table)('%s as %s', async (_name, caller, route) => {
    const req = stack.http()[route.method](route.path);
    const token = tokens.get(caller);
    if (token) req.set(bearer(token));
    const res = await (route.body ? req.send(route.body) : req);
    expect(res.status).toBe(expected(route, caller));
    if (res.status === 403)
      expect(res.body.message).toBe(`this call needs the role ${route.minimum} or above`);
  });

  it('documents every route with bearer auth and its DTOs at /docs-json', async () => {
    const doc = (await stack.http().get('/docs-json').expect(200)).body;
    for (const route of ROUTES) {
      const template = route.path
        .split('?')[0]
        .replace(id, '{id}')
        .replace('/v1/submissions/{id}', '/v1/submissions/{submissionId}')
        .replace('9999999999', '{accountNumber}')
        .replace('NO-SUCH', '{serial}');
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
    }
    expect(doc.components.schemas).toHaveProperty('ReviewQueueDto');
    expect(doc.components.schemas).toHaveProperty('ChannelStatsDto');
    expect(doc.components.schemas).toHaveProperty('AuditPageDto');
    expect(doc.components.schemas).toHaveProperty('RevalidationDto');
  });
});
