import * as zlib from 'node:zlib';
import { notJsonProblem, parsingErrorAsHttp, readWholeQuery } from './request-parsing';

/** An error shaped as body-parser and raw-body raise them (http-errors). */
const parserError = (status: number, type: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(String(extra.message ?? type)), {
    status,
    statusCode: status,
    expose: status < 500,
    type,
    ...extra,
  });

/** zlib's error as body-parser passes it on: the same object, given status 400 by http-errors. */
function zlibError(inflate: () => unknown): Error {
  try {
    inflate();
  } catch (error) {
    return Object.assign(error as Error, { status: 400, statusCode: 400, expose: true });
  }
  throw new Error('it decompressed');
}

describe('parsingErrorAsHttp', () => {
  it.each<[string, Error, number, string]>([
    [
      'a body over the limit',
      parserError(413, 'entity.too.large', { limit: 102400 }),
      413,
      'the body is larger than 102400 bytes',
    ],
    [
      'too many form fields',
      parserError(413, 'parameters.too.many'),
      413,
      'the form has too many fields',
    ],
    [
      'an unsupported charset',
      parserError(415, 'charset.unsupported', { charset: 'windows-1251' }),
      415,
      'charset "windows-1251" is not supported: send UTF-8',
    ],
    [
      'an unsupported content encoding',
      parserError(415, 'encoding.unsupported', { encoding: 'br2' }),
      415,
      'Content-Encoding "br2" is not supported',
    ],
    [
      'JSON that does not parse',
      parserError(400, 'entity.parse.failed', { message: 'Unexpected end of JSON input' }),
      400,
      'the body is not valid JSON: it ends early',
    ],
    [
      'JSON that is no object',
      parserError(400, 'entity.parse.failed', { message: 'Unexpected token', body: ' null' }),
      400,
      'the body must be a JSON object, not a bare value',
    ],
    [
      'text that only starts like a bare value',
      parserError(400, 'entity.parse.failed', { message: 'Unexpected token', body: 'nullx' }),
      400,
      'the body is not valid JSON',
    ],
    [
      'a form nested too deeply',
      parserError(400, 'querystring.parse.rangeError'),
      400,
      'the form is nested too deeply',
    ],
    [
      'an aborted request',
      parserError(400, 'request.aborted'),
      400,
      'the request was aborted before its body ended',
    ],
    [
      'a body shorter than its Content-Length',
      parserError(400, 'request.size.invalid'),
      400,
      'the body is not as long as its Content-Length says',
    ],
    ['another exposed 4xx', parserError(403, 'entity.verify.failed', { message: 'no' }), 403, 'no'],
    ...(['gunzipSync', 'inflateSync', 'brotliDecompressSync'] as const).map(
      (inflate): [string, Error, number, string] => [
        `a body that ${inflate} cannot decompress`,
        zlibError(() => zlib[inflate](Buffer.from('not compressed at all'))),
        400,
        'the body could not be decompressed as its Content-Encoding says: it is corrupt or cut short',
      ],
    ),
    [
      'a gzip body cut short',
      zlibError(() => zlib.gunzipSync(zlib.gzipSync('command=check').subarray(0, 12))),
      400,
      'the body could not be decompressed as its Content-Encoding says: it is corrupt or cut short',
    ],
  ])('%s is a %s', (_name, error, status, message) => {
    const http = parsingErrorAsHttp(error);
    expect(http?.getStatus()).toBe(status);
    expect(http?.message).toBe(message);
  });

  it.each<[string, unknown]>([
    ['a parser bug (5xx)', parserError(500, 'stream.encoding.set')],
    ['an error without a type', Object.assign(new Error('x'), { status: 400 })],
    ['a plain error', new TypeError('x is undefined')],
    ['a string', 'oops'],
    ['null', null],
  ])('%s is not a refusal of the request', (_name, error) => {
    expect(parsingErrorAsHttp(error)).toBeNull();
  });
});

describe('readWholeQuery', () => {
  const padding = Array.from({ length: 1500 }, (_, i) => `x${i}=`).join('&');

  it('reads the parameters after the 1,000th', () => {
    const query = readWholeQuery(`a=1&${padding}&meter2=E-1&t1_2=4600.5`);
    expect(Object.keys(query)).toHaveLength(1503);
    expect(query).toMatchObject({ a: '1', meter2: 'E-1', t1_2: '4600.5' });
  });

  it('gathers a parameter given twice, however far apart, into a list', () => {
    expect(readWholeQuery(`account=1&${padding}&account=2`).account).toEqual(['1', '2']);
  });

  it('keeps names flat and decodes as Express does by default', () => {
    expect({ ...readWholeQuery('a[b]=c&d=%2B5&e=+5&f') }).toEqual({
      'a[b]': 'c',
      d: '+5',
      e: ' 5',
      f: '',
    });
  });
});

describe('notJsonProblem', () => {
  const problemOf = (text: string) => {
    try {
      JSON.parse(text);
    } catch (error) {
      return notJsonProblem((error as Error).message);
    }
    throw new Error(`${text} parsed`);
  };

  it.each([
    ['a password without quotes', '{"login":"op","password":S3cretLoginPW}'],
    ['a token after the object', '{"a":1} Bearer-S3cretToken'],
    ['a single-quoted secret', "{'secret':'S3cret'}"],
  ])('names the problem without quoting the body: %s', (_, text) => {
    const problem = problemOf(text);
    expect(problem).toMatch(/^the body is not valid JSON/);
    expect(problem).not.toMatch(/S3cret/);
  });

  it('says where the body breaks when JSON.parse tells', () => {
    expect(problemOf('{"a":1,}')).toBe('the body is not valid JSON: it breaks at character 7');
  });

  it('says when the body ends early', () => {
    expect(problemOf('{"a":')).toBe('the body is not valid JSON: it ends early');
  });
});
