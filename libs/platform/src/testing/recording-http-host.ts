import type { ArgumentsHost } from '@nestjs/common';

/** What an exception filter wrote to the response. */
export interface RecordedAnswer {
  status?: number;
  headers: Record<string, string>;
  body?: unknown;
}

/**
 * An HTTP ArgumentsHost for unit tests of exception filters: a request as given, and a response
 * that records what is written to it instead of sending it.
 */
export function recordingHttpHost(
  request: object = {},
  state: { headersSent?: boolean; destroyed?: boolean } = {},
): { host: ArgumentsHost; written: RecordedAnswer } {
  const written: RecordedAnswer = { headers: {} };
  const res = {
    headersSent: state.headersSent ?? false,
    destroyed: state.destroyed ?? false,
    set(name: string, value: string) {
      written.headers[name] = value;
      return res;
    },
    status(code: number) {
      written.status = code;
      return res;
    },
    json(body: unknown) {
      written.body = body;
      return res;
    },
  };
  const host = {
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => res }),
  } as unknown as ArgumentsHost;
  return { host, written };
}
