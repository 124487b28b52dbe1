import {
  ConsoleLogger,
  type DynamicModule,
  type INestApplication,
  type LogLevel,
  type NestApplicationOptions,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { DEPENDENCY_OUTAGE, type DependencyOutageCheck } from '../errors/domain.error';
import { configurePasswordChecks } from '../auth/password';
import type { BaseEnv } from '../config/base.env';
import { GlobalExceptionFilter } from '../errors/global-exception.filter';
import { clientRateLimit, type RefuseRequest } from './client-rate-limit';
import { type BodyParsers, DEFAULT_BODY_PARSERS, useBodyParsers } from './request-parsing';
import { WellFormedRequestGuard } from './well-formed-request.guard';
import { useRequestObservability } from './request-observability';

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
  /** For edges: the client IP behind TRUSTED_PROXIES, the per-IP gate and the password-check bounds. */
  edge?: { env: BaseEnv; refuse?: RefuseRequest };
  /** Default: JSON and forms as Nest parses them; `{}` for an app that reads the stream itself. */
  bodyParsers?: BodyParsers;
}

/**
 * Every HTTP app boots the same way: JSON logs, body parsers whose refusals are 4xx answers in the
 * edge's format, malformed input refused before any handler, one exception filter, OpenAPI at
 * /docs, graceful shutdown.
 */
export async function createHttpApp(
  module: DynamicModule | (new (...args: never[]) => unknown),
  {
    name,
    description,
    logLevel,
    edge,
    bodyParsers = DEFAULT_BODY_PARSERS,
    ...options
  }: HttpAppOptions,
): Promise<INestApplication> {
  const logger = jsonLogger(name, logLevel);
  // abortOnError off: a failure to boot is thrown to the caller (runMain logs it and exits 1)
  // rather than ending the process from inside Nest, and a missing optional provider is just absent.
  const app = await NestFactory.create(module, {
    logger,
    bufferLogs: true,
    abortOnError: false,
    ...options,
    bodyParser: false,
  });
  app.useLogger(logger);
  useRequestObservability(app);
  if (edge) protectEdge(app as NestExpressApplication, edge.env, edge.refuse);
  useBodyParsers(app, bodyParsers);
  app.useGlobalGuards(new WellFormedRequestGuard());
  app.useGlobalFilters(new GlobalExceptionFilter(outageCheckOf(app)));
  // Exit 0 once every hook has run (Nest would otherwise re-raise the signal: exit code 143).
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(name)
      .setDescription(description)
      .setVersion('1')
      .addBearerAuth()
      .addBasicAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}

/** The app's check for a dependency's driver errors; an app without one has none to recognise. */
function outageCheckOf(app: INestApplication): DependencyOutageCheck {
  try {
    return app.get<DependencyOutageCheck>(DEPENDENCY_OUTAGE, { strict: false });
  } catch {
    return () => false;
  }
}

/** Registered before Nest's own middleware (the body parsers), so a refused request costs nothing. */
function protectEdge(app: NestExpressApplication, env: BaseEnv, refuse?: RefuseRequest): void {
  app.set('trust proxy', env.TRUSTED_PROXIES.length > 0 ? env.TRUSTED_PROXIES : false);
  configurePasswordChecks({
    concurrency: env.PASSWORD_CHECK_CONCURRENCY,
    maxWaiting: env.PASSWORD_CHECK_MAX_WAITING,
  });
  app.use(clientRateLimit(env.CLIENT_RATE_LIMIT_PER_SECOND, env.CLIENT_RATE_LIMIT_BURST, refuse));
}
