import busboy from 'busboy';
import type { Request } from 'express';
import type { Readable } from 'node:stream';
import { SlipBatchError } from './slip-batch.errors';

const interrupted = () =>
  new SlipBatchError('UPLOAD_INTERRUPTED', 'the upload ended before the whole file arrived');

function multipartFile(req: Request): Promise<Readable> {
  return new Promise((resolve, reject) => {
    let form: busboy.Busboy;
    try {
      form = busboy({ headers: req.headers, limits: { fields: 20, fieldSize: 64 * 1024 } });
    } catch (error) {
      reject(
        new SlipBatchError(
          'UNSUPPORTED_MEDIA_TYPE',
          `multipart/form-data: ${(error as Error).message}`,
        ),
      );
      return;
    }
    let file: Readable | null = null;
    const fail = (error: Error) => (file ? file.destroy(error) : reject(error));
    form.on('file', (name, stream) => {
      // A part may break (the form ends inside it) when nothing reads it, or before the reader
      // listens, while the batch is being opened: an error without a listener would end the
      // process. The reader finds it on the stream (`errored`) instead.
      stream.on('error', () => undefined);
      if (name !== 'file' || file) {
        stream.resume();
        return;
      }
      file = stream;
      resolve(stream);
    });
    form.on('error', (error) =>
      fail(new SlipBatchError('SLIP_FILE_INVALID', `multipart body: ${(error as Error).message}`)),
    );
    form.on('close', () => {
      if (!file)
        reject(new SlipBatchError('SLIP_FILE_INVALID', 'the multipart form has no field "file"'));
    });
    req.once('close', () => {
      if (!req.complete) fail(interrupted());
    });
    req.pipe(form);
  });
}

/**
 * The batch file of an upload as a stream, never buffered: the body itself for `text/csv`, or
 * the part named `file` of a `multipart/form-data` body (other parts are read past).
 */
export function openSlipUpload(req: Request): Promise<Readable> {
  const [mime, ...params] = (req.headers['content-type'] ?? '')
    .split(';')
    .map((part) => part.trim().toLowerCase());
  if (mime === 'text/csv') {
    const charset = params
      .find((p) => p.startsWith('charset='))
      ?.slice(8)
      .replace(/"/g, '');
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')
      throw new SlipBatchError(
        'UNSUPPORTED_MEDIA_TYPE',
        'the file must be UTF-8 text (charset=utf-8)',
      );
    return Promise.resolve(req);
  }
  if (mime === 'multipart/form-data') return multipartFile(req);
  throw new SlipBatchError(
    'UNSUPPORTED_MEDIA_TYPE',
    'Content-Type must be text/csv, or multipart/form-data with the file in the field "file"',
  );
}
