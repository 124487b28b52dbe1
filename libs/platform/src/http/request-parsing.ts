import {
  BadRequestException,
  HttpException,
  type INestApplication,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { repeatedJsonName, repeatedNameProblem } from '@gw/contracts';
import type {
  NestExpressApplication,
  NestExpressBodyParserOptions,
} from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { parse as parseQueryString, type ParsedUrlQuery } from 'node:querystring';
import { isPageAddress } from './page-address';

/** The bodies an app parses; an app that reads its request stream itself parses none. */
export interface BodyParsers {
  json?: NestExpressBodyParserOptions;
  urlencoded?: NestExpressBodyParserOptions & { extended?: boolean; parameterLimit?: number };
}

/** Nest's own choice when an app says nothing: JSON and extended forms, 100 KB each. */
export const DEFAULT_BODY_PARSERS: BodyParsers = { json: {}, urlencoded: { extended: true } };

/** What body-parser and raw-body attach to the errors they raise (http-errors). */
interface ParserError {
  type?: unknown;
  status?: unknown;
  expose?: unknown;
  message?: unknown;
  limit?: unknown;
  charset?: unknown;
  encoding?: unknown;
  code?: unknown;
  body?: unknown;
}

/** Codes of zlib's errors: `Z_DATA_ERROR`, `Z_BUF_ERROR` (gzip, deflate), `ERR__ERROR_FORMAT_…` (br). */
const ZLIB_ERROR_CODE = /^(?:Z_|ERR__ERROR_)/;

/**
 * Why a body is not JSON, from JSON.parse's message: where it broke, without the text around that
 * place, which V8 quotes and which may be a password.
 */
export function notJsonProblem(parseMessage: unknown): string {
  const text = String(parseMessage);
  if (/^Unexpected end of JSON input/.test(text))
    return 'the body is not valid JSON: it ends early';
  const position = /at position (\d+)/.exec(text)?.[1];
  return position === undefined
    ? 'the body is not valid JSON'
    : `the body is not valid JSON: it breaks at character ${position}`;
}

/**
 * Why a JSON body is no object, the one shape every JSON route takes (`null`, `"text"`, `1`, an
 * array); null when it is one.
 */
export function notJsonObjectProblem(value: unknown): string | null {
  if (Array.isArray(value)) return 'the body must be a JSON object, not an array';
  if (typeof value !== 'object' || value === null)
    return 'the body must be a JSON object, not a bare value';
  return null;
}

/**
 * Why a body the JSON parser refused is unfit when it is JSON all the same: a value that is no
 * object or array, which the parser takes only as an object or array.
 */
function refusedJsonValueProblem(body: unknown): string | null {
  if (typeof body !== 'string') return null;
  try {
    return notJsonObjectProblem(JSON.parse(body));
  } catch {
    return null;
  }
}

const DEFERRED = Symbol('request parsing error');
/** The JSON body's text as the parser decoded it, for the check of names given twice. */
const JSON_TEXT = Symbol('JSON body text');
type DeferringRequest = Request & { [DEFERRED]?: HttpException; [JSON_TEXT]?: string };

/**
 * body-parser's `verify` hook: keeps the text it is about to parse. A charset the decoder does not
 * know (UTF-32) leaves it unkept, and its names unchecked.
 */
function keepJsonText(req: DeferringRequest, _res: Response, body: Buffer, charset: string): void {
  try {
    req[JSON_TEXT] = new TextDecoder(charset).decode(body);
  } catch {
    req[JSON_TEXT] = undefined;
  }
}

/**
 * A body parser's refusal of a request as the 4xx it means, with a message naming the problem;
 * null for anything else (a parser's own bug stays a 500).
 */
export function parsingErrorAsHttp(error: unknown): HttpException | null {
  if (typeof error !== 'object' || error === null) return null;
  const { type, status, expose, message, limit, charset, encoding, code, body } =
    error as ParserError;
  if (typeof status !== 'number' || status < 400 || status > 499) return null;
  // body-parser passes on the error of a body that does not decompress as zlib raised it, without
  // a type: a gzip, deflate or br body that is corrupt or cut short.
  if (type === undefined && typeof code === 'string' && ZLIB_ERROR_CODE.test(code))
    return new BadRequestException(
      'the body could not be decompressed as its Content-Encoding says: it is corrupt or cut short',
    );
  if (typeof type !== 'string') return null;
  switch (type) {
    case 'entity.too.large':
      return new PayloadTooLargeException(`the body is larger than ${limit} bytes`);
    case 'parameters.too.many':
      return new PayloadTooLargeException('the form has too many fields');
    case 'charset.unsupported':
      return new UnsupportedMediaTypeException(
        `charset ${JSON.stringify(charset)} is not supported: send UTF-8`,
      );
    case 'encoding.unsupported':
      return new UnsupportedMediaTypeException(
        `Content-Encoding ${JSON.stringify(encoding)} is not supported`,
      );
    case 'entity.parse.failed':
      return new BadRequestException(refusedJsonValueProblem(body) ?? notJsonProblem(message));
    case 'querystring.parse.rangeError':
      return new BadRequestException('the form is nested too deeply');
    case 'request.aborted':
      return new BadRequestException('the request was aborted before its body ended');
    case 'request.size.invalid':
      return new BadRequestException('the body is not as long as its Content-Length says');
    default:
      return expose === true
        ? new HttpException(String(message), status)
        : new BadRequestException('the body could not be read');
  }
}

/**
 * What an app that parses bodies refuses of one: a body of a type none of its parsers reads on
 * this path (text/plain, JSON in a forms-only app, or no Content-Type), which would reach the route
 * as no body at all and be answered as every field missing, or as what the query string alone
 * says; JSON that is no object; and JSON giving a name twice in one object, of which JSON.parse
 * would keep the last alone. In an app that reads JSON, forms are the pages' alone: on the
 * JSON API a form is refused for its type, whatever the form parser made of it, so that no
 * cross-site form (which a browser sends from any page) reaches an API route.
 */
function unreadBodyProblem(req: DeferringRequest, parsers: BodyParsers): HttpException | null {
  const formsHere = parsers.urlencoded && (!parsers.json || isPageAddress(req.path));
  const types = [
    ...(parsers.json ? ['application/json'] : []),
    ...(formsHere ? ['application/x-www-form-urlencoded'] : []),
  ];
  const length = req.headers['content-length'];
  // An empty body is no body, whatever type it names: a POST of an action that takes none.
  if (length !== undefined && Number(length) === 0) return null;
  // null: the request has no body.
  const type = req.is(types);
  if (type === false)
    return new UnsupportedMediaTypeException(`Content-Type must be ${types.join(' or ')}`);
  // A body a parser refused keeps that refusal.
  if (type !== 'application/json' || req[DEFERRED]) return null;
  const repeated = req[JSON_TEXT] === undefined ? null : repeatedJsonName(req[JSON_TEXT]);
  const problem =
    notJsonObjectProblem(req.body) ?? (repeated === null ? null : repeatedNameProblem(repeated));
  return problem ? new BadRequestException(problem) : null;
}

/**
 * Registers the app's body parsers so that their refusals reach the route: Express would hand a
 * parser's error straight to the app-wide error handler, which knows no route and so none of the
 * edge's own formats (the terminal's XML, the back office's pages). The error is kept on the
 * request instead, and WellFormedRequestGuard raises it inside the route, where the route's
 * exception filters answer it. In an app that parses bodies, a body of a type it does not read on
 * the path (a form outside the pages of an app that reads JSON included) is refused the same way
 * (415), and so is JSON that is no object (400).
 */
export function useBodyParsers(app: INestApplication, parsers: BodyParsers): void {
  const express = app as NestExpressApplication;
  if (parsers.json) express.useBodyParser('json', { ...parsers.json, verify: keepJsonText });
  if (parsers.urlencoded) express.useBodyParser('urlencoded', parsers.urlencoded);
  app.use((error: unknown, req: DeferringRequest, res: Response, next: NextFunction) => {
    const refusal = parsingErrorAsHttp(error);
    if (!refusal) return next(error);
    // A refusal before the body was read (an unsupported charset) leaves it unread: drop it.
    if (!req.complete) req.resume();
    req[DEFERRED] = refusal;
    next();
  });
  if (!parsers.json && !parsers.urlencoded) return;
  app.use((req: DeferringRequest, res: Response, next: NextFunction) => {
    const refusal = unreadBodyProblem(req, parsers);
    if (refusal) {
      // No parser read it, or the one that did is overruled: drop what is left of it, so the
      // answer is not held up behind it.
      req.resume();
      req[DEFERRED] = refusal;
    }
    next();
  });
}

/**
 * Every app's query parser: Node's own, as Express's default is, but reading every parameter.
 * The default stops after 1,000 and drops the rest without a word, so a reading named after them
 * would vanish from a pay that is answered OK, and a parameter given twice there would pass the
 * duplicate checks. The query's length is bounded by the server's header limit, and so the work.
 */
export function useQueryParser(app: INestApplication): void {
  (app as NestExpressApplication).set('query parser', readWholeQuery);
}

export function readWholeQuery(text: string): ParsedUrlQuery {
  return parseQueryString(text, '&', '=', { maxKeys: 0 });
}

/** The refusal a body parser left on the request, if any. */
export function deferredParsingError(req: Request): HttpException | undefined {
  return (req as DeferringRequest)[DEFERRED];
}
