import { request } from 'node:http';

/** How a request ended: an HTTP status with the start of its body, or a transport error. */
export type RawAnswer = { status: number; body: string } | { error: string };

/**
 * Sends a request exactly as given (no client-side encoding or validation), one connection per
 * request so that a server-side reset is the server's doing, not a keep-alive race.
 */
export function sendRaw(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: Buffer | undefined,
  timeoutMs = 30_000,
): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: false,
        headers: { ...headers, Connection: 'close', 'Content-Length': String(body?.length ?? 0) },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < 2048) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8').slice(0, 2048),
          }),
        );
        res.on('error', (error) => resolve({ error: `response: ${error.message}` }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ error: error.code ?? error.message }),
    );
    req.end(body);
  });
}
