import {
  ConsoleLogger,
  type DynamicModule,
  type INestApplication,
  type LogLevel,
  Module,
  type NestApplicationOptions,
} from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { configurePasswordChecks, configurePasswordHashing, OWASP_SCRYPT } from '../auth/password';
import { type BaseEnv, passwordHashingOf } from '../config/base.env';
import { GlobalExceptionFilter } from '../errors/global-exception.filter';
import { clientRateLimit, type RefuseRequest } from './client-rate-limit';
import { managementAccess } from './management-access';
import {
  type BodyParsers,
  DEFAULT_BODY_PARSERS,
  useBodyParsers,
  useQueryParser,
} from './request-parsing';
import { WellFormedRequestGuard } from './well-formed-request.guard';
import { useRequestObservability } from './request-observability';
import { defaultResponseHeaders } from './response-headers';

const LEVELS: LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];

/** Structured JSON log lines, one per event, tagged with the app's name. */
export function jsonLogger(app: string, level: string): ConsoleLogger {
  return new ConsoleLogger(app, {
    json: true,
    logLevels: LEVELS.slice(0, LEVELS.indexOf(level as LogLevel) + 1),
    colors: false,
  });
}

export interface HttpAppOptions extends Omit<NestApplicationOptions, 'bodyParser'> {
  name: string;
  description: string;
  logLevel: string;
  /**
   * `MANAGEMENT_TOKEN`: when not empty, `/metrics` and the OpenAPI pages need it as a bearer
   * token. Required here so that no app can leave its management endpoints out by omission.
   */
  managementToken: string;
  /** For edges: the client IP behind TRUSTED_PROXIES, the per-IP gate and the password-check bounds. */
  edge?: { env: BaseEnv; refuse?: RefuseRequest };
  /** Default: JSON and forms as Nest parses them; `{}` for an app that reads the stream itself. */
  bodyParsers?: BodyParsers;
}

/**
 * Every HTTP app boots the same way: JSON logs, body parsers whose refusals are 4xx answers in the
 * edge's format, malformed input refused before any handler, one exception filter, OpenAPI at
 * /docs (behind the management token with `/metrics`), graceful shutdown.
 */
export async function createHttpApp(
  module: DynamicModule | (new (...args: never[]) => unknown),
  {
    name,
    description,
    logLevel,
    managementToken,
    edge,
    bodyParsers = DEFAULT_BODY_PARSERS,
    ...options
  }: HttpAppOptions,
): Promise<INestApplication> {
  const logger = jsonLogger(name, logLevel);
  // abortOnError off: a failure to boot is thrown to the caller (runMain logs it and exits 1)
  // rather than ending the process from inside Nest.
  const app = await NestFactory.create(HttpAppModule.around(module), {
    logger,
    bufferLogs: true,
    abortOnError: false,
    ...options,
    bodyParser: false,
  });
  app.useLogger(logger);
  app.use(defaultResponseHeaders);
  useRequestObservability(app);
  if (edge) protectEdge(app as NestExpressApplication, edge.env, logger, edge.refuse);
  app.use(managementAccess(managementToken));
  useQueryParser(app);
  useBodyParsers(app, bodyParsers);
  app.useGlobalGuards(new WellFormedRequestGuard());
  // Exit 0 once every hook has run (Nest would otherwise re-raise the signal: exit code 143).
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(name)
      .setDescription(description)
      .setVersion('1')
      // Not addBearerAuth(): it declares the tokens JWTs, which the apps' own tokens are not.
      .addSecurity('bearer', {
        type: 'http',
        scheme: 'bearer',
        description:
          'The token of a sign-in, `<key id>.<payload>.<signature>` (HMAC-SHA256, not a JWT): opaque to clients',
      })
      .addBasicAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  // At the default LOG_LEVEL, so a log collector shows development mode wherever it runs.
  if (edge?.env.GATEWAY_MODE === 'development')
    logger.log(
      'GATEWAY_MODE=development: keys that are not set are the development keys published with the code',
    );
  return app;
}

/**
 * The app's module with the one exception filter, built by Nest so that it receives the app's
 * DEPENDENCY_OUTAGE check when the app module exports one (its PersistenceModule's), and the
 * filter of its pages (WEB_PAGES_FILTER) when it exports one.
 */
@Module({})
class HttpAppModule {
  static around(module: DynamicModule | (new (...args: never[]) => unknown)): DynamicModule {
    return {
      module: HttpAppModule,
      imports: [module],
      providers: [{ provide: APP_FILTER, useClass: GlobalExceptionFilter }],
    };
  }
}

/** Registered before Nest's own middleware (the body parsers), so a refused request costs nothing. */
function protectEdge(
  app: NestExpressApplication,
  env: BaseEnv,
  logger: ConsoleLogger,
  refuse?: RefuseRequest,
): void {
  app.set('trust proxy', env.TRUSTED_PROXIES.length > 0 ? env.TRUSTED_PROXIES : false);
  configurePasswordChecks({
    concurrency: env.PASSWORD_CHECK_CONCURRENCY,
    maxWaiting: env.PASSWORD_CHECK_MAX_WAITING,
  });
  const hashing = passwordHashingOf(env);
  configurePasswordHashing(hashing);
  // At `log`, not `warn`: the tests run below it on purpose and log warnings only.
  if (hashing.N < OWASP_SCRYPT.N)
    logger.log({
      msg: 'password hashes below the OWASP recommendation (PASSWORD_SCRYPT_LOG2_N under 17); for tests only',
    });
  app.use(clientRateLimit(env.CLIENT_RATE_LIMIT_PER_SECOND, env.CLIENT_RATE_LIMIT_BURST, refuse));
}
