import {
  ConsoleLogger,
  type DynamicModule,
  type INestApplication,
  type LogLevel,
  type NestApplicationOptions,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { GlobalExceptionFilter } from '../errors/global-exception.filter';
import { type BodyParsers, DEFAULT_BODY_PARSERS, useBodyParsers } from './request-parsing';
import { WellFormedRequestGuard } from './well-formed-request.guard';

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
  { name, description, logLevel, bodyParsers = DEFAULT_BODY_PARSERS, ...options }: HttpAppOptions,
): Promise<INestApplication> {
  const logger = jsonLogger(name, logLevel);
  const app = await NestFactory.create(module, {
    logger,
    bufferLogs: true,
    ...options,
    bodyParser: false,
  });
  app.useLogger(logger);
  useBodyParsers(app, bodyParsers);
  app.useGlobalGuards(new WellFormedRequestGuard());
  app.useGlobalFilters(new GlobalExceptionFilter());
  app.enableShutdownHooks();
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
