import {
  BadRequestException,
  Injectable,
  type NestMiddleware,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { declaresNoContentCoding, declaresUtf8, KIOSK_LIMITS } from '@gw/contracts';
import type { NextFunction, Response } from 'express';
import type { KioskHttpRequest } from './kiosk-http-request';

const JSON_TYPE = /^application\/json\s*(;|$)/i;
/** A JSON Content-Type, in UTF-8 when it names a charset: the body is read as nothing else. */
const isUtf8Json = (type: string) => JSON_TYPE.test(type) && declaresUtf8(type);

function tooLarge(): PayloadTooLargeException {
  return new PayloadTooLargeException(
    `the body is larger than ${KIOSK_LIMITS.maxBodyBytes} bytes (1 MiB)`,
  );
}

/**
 * Reads the body as raw bytes, because the signature covers them exactly as sent (the app runs
 * without Nest's JSON parser). Over 1 MiB is refused before anything is parsed: at once when
 * Content-Length says so, otherwise as soon as the stream passes the limit.
 */
@Injectable()
export class RawBodyMiddleware implements NestMiddleware {
  async use(request: KioskHttpRequest, response: Response, next: NextFunction): Promise<void> {
    if (request.method === 'POST' && !isUtf8Json(request.headers['content-type'] ?? '')) {
      discard(request, response);
      throw new UnsupportedMediaTypeException(
        'Content-Type must be application/json, in UTF-8 if a charset is given',
      );
    }
    // The signature covers the JSON exactly as sent; compressed, it would be read as bytes of no JSON.
    const coding = request.headers['content-encoding'];
    if (!declaresNoContentCoding(coding)) {
      discard(request, response);
      throw new UnsupportedMediaTypeException(
        `Content-Encoding ${JSON.stringify(coding)} is not supported: send the body uncompressed`,
      );
    }
    const declared = Number(request.headers['content-length']);
    if (declared > KIOSK_LIMITS.maxBodyBytes) {
      discard(request, response);
      throw tooLarge();
    }
    request.body = await readBody(request, response, KIOSK_LIMITS.maxBodyBytes);
    next();
  }
}

function readBody(request: KioskHttpRequest, response: Response, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      cleanup();
      discard(request, response);
      reject(tooLarge());
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    // The client went away mid-body: a refusal of the request, not a failure of the gateway.
    const onError = () => {
      cleanup();
      reject(new BadRequestException('the request was aborted before its body ended'));
    };
    const cleanup = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
  });
}

/**
 * The client may still be sending: keep reading and dropping its bytes so it gets to read the
 * answer instead of a reset connection, and close the connection afterwards.
 */
export function discard(request: KioskHttpRequest, response: Response): void {
  response.setHeader('Connection', 'close');
  request.resume();
}
