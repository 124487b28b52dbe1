import type { INestApplication } from '@nestjs/common';
import type { OperatorRole } from '@gw/persistence';
import {
  generateSecret,
  hashPassword,
  loadConfig,
  signToken,
  type TokenClaims,
} from '@gw/platform';
import { CredentialRepository } from '../../apps/ctl/src/persistence/credential.repository';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { BackofficeEnv } from '../../apps/backoffice-api/src/backoffice.env';
import { operatorTokenKeys } from '../../apps/backoffice-api/src/auth/operator-tokens';
import { bootstrap } from '../../apps/backoffice-api/src/main';

/** The key the test app signs with, so tests can forge tokens the way an attacker cannot. */
export const TOKEN_SECRET = 'e2e-backoffice-token-secret-0123456789abcdef';

/** A token signed with `secret` as the app signs its own, whatever claims it holds. */
export function forgeToken(
  claims: Omit<TokenClaims, 'exp'>,
  secret = TOKEN_SECRET,
  ttlSeconds = 60,
): string {
  return signToken(claims, operatorTokenKeys(secret), ttlSeconds);
}

export function backofficeEnv(env: Record<string, string | undefined> = {}): BackofficeEnv {
  return loadConfig(BackofficeEnv, {
    ...process.env,
    BACKOFFICE_API_PORT: '0',
    BACKOFFICE_TOKEN_SECRET: TOKEN_SECRET,
    // The tests talk plain HTTP; the default (a `__Host-`, `Secure` cookie) is tested on its own.
    BACKOFFICE_COOKIE_SECURE: 'false',
    LOG_LEVEL: 'warn',
    ...env,
  });
}

/** The real backoffice-api in this process, on a free port. */
export function startBackoffice(
  env: Record<string, string | undefined> = {},
): Promise<INestApplication> {
  return bootstrap(backofficeEnv(env));
}

let operators = 0;

export function uniqueLogin(): string {
  operators += 1;
  // The counter restarts in every test file (each has its own module registry), so a random part
  // keeps logins of one run apart across files that share its database.
  return `op-${process.env.E2E_RUN_ID}-${operators}-${Math.random().toString(36).slice(2, 8)}`;
}

/** An operator as `ctl operator add` stores one: a scrypt hash of a random password. */
export async function createOperator(
  db: DataSource,
  role: OperatorRole,
): Promise<{ login: string; password: string }> {
  const login = uniqueLogin();
  const password = generateSecret();
  await new CredentialRepository(db).saveOperator(login, await hashPassword(password), role);
  return { login, password };
}

export async function login(
  app: INestApplication,
  credentials: { login: string; password: string },
): Promise<string> {
  const res = await request(app.getHttpServer())
    .post('/v1/auth/login')
    .send(credentials)
    .expect(200);
  return res.body.token as string;
}

/** The sign-in page as a browser gets it: the form cookie it sets and its anti-forgery value. */
export async function openSignInPage(
  app: INestApplication,
): Promise<{ cookie: string; csrf: string }> {
  const res = await request(app.getHttpServer()).get('/login').expect(200);
  const cookie = String(res.headers['set-cookie']).split(';')[0];
  const csrf = /name="_csrf" value="([^"]+)"/.exec(res.text)?.[1];
  if (!csrf) throw new Error('the sign-in page has no anti-forgery value');
  return { cookie, csrf };
}

/** Posts the sign-in form as a browser does: after opening the sign-in page, with what it set. */
export async function submitSignInForm(
  app: INestApplication,
  fields: Record<string, string>,
): Promise<request.Response> {
  const { cookie, csrf } = await openSignInPage(app);
  return request(app.getHttpServer())
    .post('/login')
    .set('Cookie', cookie)
    .type('form')
    .send({ _csrf: csrf, ...fields });
}
