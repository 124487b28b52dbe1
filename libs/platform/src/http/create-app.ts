import {
  ConsoleLogger,
  type DynamicModule,
  type INestApplication,
  type LogLevel,
  type NestApplicationOptions,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { DEPENDENCY_OUTAGE, type DependencyOutageCheck } from '../errors/domain.error';
import { GlobalExceptionFilter } from '../errors/global-exception.filter';
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

export interface HttpAppOptions extends NestApplicationOptions {
  name: string;
  description: string;
  logLevel: string;
}

/** Every HTTP app boots the same way: JSON logs, one exception filter, OpenAPI at /docs, graceful shutdown. */
export async function createHttpApp(
  module: DynamicModule | (new (...args: never[]) => unknown),
  { name, description, logLevel, ...options }: HttpAppOptions,
): Promise<INestApplication> {
  const logger = jsonLogger(name, logLevel);
  const app = await NestFactory.create(module, { logger, bufferLogs: true, ...options });
  app.useLogger(logger);
  useRequestObservability(app);
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
