import busboy from 'busboy';
import type { Request } from 'express';
import type { Readable } from 'node:stream';
import { declaresNoContentCoding, declaresUtf8 } from '@gw/contracts';
import { SlipBatchError, slipImageTooLarge } from './slip-batch.errors';

/** One image part of an upload: the image_ref its file name gives, and its bytes. */
export interface SlipImagePart {
  imageRef: string;
  bytes: Buffer;
}

export interface SlipUploadOptions {
  maxImageBytes: number;
  /** Takes an image part once all of it has arrived; a rejection ends the upload with its error. */
  onImage(image: SlipImagePart): Promise<void>;
}

/** An upload opened: its batch file, and the images that come with it. */
export interface SlipUpload {
  /** The batch file, streamed. */
  file: Readable;
  /**
   * Settles once the whole body is read and every image part taken; rejects with the first
   * failure. Image parts after the file arrive only once the file has been read to its end.
   */
  images: Promise<void>;
}

/**
 * Reads an upload whose type is checked: nothing of its body is read, and no image taken, before
 * it is called.
 */
export type SlipUploadReader = (options: SlipUploadOptions) => Promise<SlipUpload>;

/**
 * Images read and being stored at once. A further image part waits unread, which holds the rest
 * of the body back, so memory stays at a few images whatever the number sent.
 */
const IMAGES_IN_FLIGHT = 2;

/**
 * Parts without a file name a form may have. busboy skips the ones past the limit without a word,
 * an "image" part without a file name among them, so a form with more is refused.
 */
const MAX_FORM_FIELDS = 20;

const interrupted = () =>
  new SlipBatchError('UPLOAD_INTERRUPTED', 'the upload ended before the whole file arrived');

/** The bytes of an image part, refused as soon as it runs past `maxBytes` (the rest is read past). */
function readImage(stream: Readable, imageRef: string, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // Broken while it waited to be read: no event will tell.
    if (stream.errored || stream.destroyed) return reject(interrupted());
    let chunks: Buffer[] | null = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      if (!chunks) return;
      size += chunk.length;
      if (size <= maxBytes) return chunks.push(chunk);
      chunks = null;
      reject(slipImageTooLarge(imageRef, maxBytes));
    });
    stream.once('end', () => chunks && resolve(Buffer.concat(chunks)));
    stream.once('error', () => reject(interrupted()));
  });
}

function multipartUpload(
  req: Request,
  form: busboy.Busboy,
  options: SlipUploadOptions,
): Promise<SlipUpload> {
  return new Promise((resolve, reject) => {
    // Gone while its batch was being taken: no event will tell.
    if (req.destroyed) {
      reject(interrupted());
      return;
    }
    /** The file part as soon as it starts, and once handed over to be read. */
    let filePart: Readable | null = null;
    let file: Readable | null = null;
    let failure: Error | null = null;
    const saves: Promise<void>[] = [];
    let inFlight = 0;
    const waiting: (() => void)[] = [];
    const takeSlot = async () => {
      while (inFlight >= IMAGES_IN_FLIGHT) await new Promise<void>((go) => waiting.push(go));
      inFlight += 1;
    };
    const releaseSlot = () => {
      inFlight -= 1;
      waiting.shift()?.();
    };
    let settleImages: (error: Error | null) => void = () => undefined;
    const images = new Promise<void>((ok, refuse) => {
      settleImages = (error) => (error ? refuse(error) : ok());
    });
    // Awaited only once the file has been read; a failure before then is answered by `reject`.
    images.catch(() => undefined);
    /**
     * The first failure decides the answer. Before the file part nothing is queued yet: the upload
     * is refused at once and the rest of the body read past. After it, the file is read on and the
     * failure is the outcome of `images`.
     */
    const fail = (error: Error) => {
      if (failure) return;
      failure = error;
      if (file) return;
      reject(error);
      req.unpipe(form);
      req.resume();
    };
    /** The body itself broke: once the file part has begun, its reader finds out from it. */
    const broken = (error: Error) => {
      settleImages(error);
      if (filePart) filePart.destroy(error);
      else fail(error);
    };
    form.on('file', (name, stream, info) => {
      // A part may break (the form ends inside it) when nothing reads it, or before the reader
      // listens, while the batch is being opened: an error without a listener would end the
      // process. The reader finds it on the stream (`errored`) instead.
      stream.on('error', () => undefined);
      if (name === 'file' && !filePart && !failure) {
        filePart = stream;
        // Images sent before the file are judged first, so a refused one queues nothing; the
        // file waits unread meanwhile (busboy holds the body back).
        const before = Promise.all(saves);
        void before.then(() => {
          if (failure) return stream.resume();
          file = stream;
          resolve({ file, images });
        });
      } else if (name === 'file' && filePart) {
        stream.resume();
        fail(
          new SlipBatchError(
            'SLIP_FILE_INVALID',
            'the multipart form has more than one field "file"',
          ),
        );
      } else if (name === 'image' && !failure) {
        const imageRef = info.filename ?? '';
        const save = async () => {
          await takeSlot();
          try {
            if (failure) return void stream.resume();
            const bytes = await readImage(stream, imageRef, options.maxImageBytes);
            await options.onImage({ imageRef, bytes });
          } finally {
            releaseSlot();
          }
        };
        saves.push(save().catch(fail));
      } else {
        stream.resume();
      }
    });
    // A part "image" without a file name arrives as a plain field: it would be lost unsaid.
    form.on('field', (name) => {
      if (name === 'image')
        fail(
          new SlipBatchError(
            'SLIP_IMAGE_REF_INVALID',
            'an "image" part needs a file name (filename="…"): the image_ref its rows name it by',
          ),
        );
    });
    form.on('fieldsLimit', () =>
      fail(
        new SlipBatchError(
          'SLIP_FILE_INVALID',
          `the multipart form has more than ${MAX_FORM_FIELDS} fields without a file name`,
        ),
      ),
    );
    form.on('error', (error) =>
      broken(
        new SlipBatchError('SLIP_FILE_INVALID', `multipart body: ${(error as Error).message}`),
      ),
    );
    form.on('close', () => {
      if (!filePart)
        fail(new SlipBatchError('SLIP_FILE_INVALID', 'the multipart form has no field "file"'));
      void Promise.all(saves).then(() => settleImages(failure));
    });
    req.once('close', () => {
      if (!req.complete) broken(interrupted());
    });
    req.pipe(form);
  });
}

/**
 * Checks an upload's type (415 at once) and returns its reader, which never buffers the batch
 * file: the body itself for `text/csv`, or the part named `file` of a `multipart/form-data` body,
 * with the scanned slips in parts named `image` whose file names are the image_ref values of the
 * rows (other parts are read past).
 */
export function slipUploadReader(req: Request): SlipUploadReader {
  // Compressed, the file would be read as its compressed bytes: a header of no known column.
  const coding = req.headers['content-encoding'];
  if (!declaresNoContentCoding(coding))
    throw new SlipBatchError(
      'UNSUPPORTED_MEDIA_TYPE',
      `Content-Encoding ${JSON.stringify(coding)} is not supported: send the file uncompressed`,
    );
  const type = req.headers['content-type'] ?? '';
  const mime = type.split(';')[0].trim().toLowerCase();
  if (mime === 'text/csv') {
    if (!declaresUtf8(type))
      throw new SlipBatchError(
        'UNSUPPORTED_MEDIA_TYPE',
        'the file must be UTF-8 text (charset=utf-8)',
      );
    return () => Promise.resolve({ file: req, images: Promise.resolve() });
  }
  if (mime === 'multipart/form-data') {
    let form: busboy.Busboy;
    try {
      // preservePath: an image part's file name is an image_ref, which may hold a path. Browsers
      // and curl send a file name in UTF-8 (RFC 7578), which busboy would read as Latin-1.
      form = busboy({
        headers: req.headers,
        preservePath: true,
        defParamCharset: 'utf8',
        limits: { fields: MAX_FORM_FIELDS, fieldSize: 64 * 1024 },
      });
    } catch (error) {
      // The type is one this route takes: only its parameters can be wrong, a request to fix.
      throw new SlipBatchError(
        'SLIP_FILE_INVALID',
        /Boundary not found/.test((error as Error).message)
          ? 'Content-Type multipart/form-data needs its boundary parameter (multipart/form-data; boundary=…)'
          : `Content-Type ${JSON.stringify(type)} is malformed`,
      );
    }
    return (options) => multipartUpload(req, form, options);
  }
  throw new SlipBatchError(
    'UNSUPPORTED_MEDIA_TYPE',
    'Content-Type must be text/csv, or multipart/form-data with the file in the field "file"',
  );
}
