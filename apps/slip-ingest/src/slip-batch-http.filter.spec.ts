import { SlipBatchHttpFilter } from './slip-batch-http.filter';
import {
  SLIP_BATCH_ERROR_STATUS,
  SlipBatchError,
  type SlipBatchErrorCode,
} from './slip-batch.errors';

/** The statuses contract section 7.4 and the slips e2e tests rely on. */
const EXPECTED: [SlipBatchErrorCode, number, string | undefined][] = [
  ['BATCH_ID_INVALID', 400, undefined],
  ['UNSUPPORTED_MEDIA_TYPE', 415, undefined],
  ['SLIP_FILE_INVALID', 400, undefined],
  ['UPLOAD_INTERRUPTED', 400, undefined],
  ['BATCH_TOO_LARGE', 413, undefined],
  ['BATCH_BUSY', 409, '5'],
  ['BATCH_NOT_FOUND', 404, undefined],
  ['UPLOADS_BUSY', 503, '5'],
  ['SLIP_IMAGE_REF_INVALID', 400, undefined],
  ['SLIP_IMAGE_TOO_LARGE', 413, undefined],
  ['SLIP_IMAGE_TYPE_UNSUPPORTED', 415, undefined],
];

describe('SlipBatchHttpFilter', () => {
  it('has a row here for every code', () => {
    expect(EXPECTED.map(([code]) => code).sort()).toEqual(
      Object.keys(SLIP_BATCH_ERROR_STATUS).sort(),
    );
  });

  it.each(EXPECTED)('%s -> %s', (code, status, retryAfter) => {
    expect(new SlipBatchHttpFilter().reply(new SlipBatchError(code, 'what went wrong'))).toEqual({
      status,
      ...(retryAfter !== undefined && { retryAfter }),
      body: { statusCode: status, error: code, message: 'what went wrong' },
    });
  });

  it('tells what was done before an upload stopped', () => {
    const error = new SlipBatchError('UPLOAD_INTERRUPTED', 'the upload ended early', {
      rows: 1200,
      queued: 1100,
      invalid: 100,
    });
    expect(new SlipBatchHttpFilter().reply(error).body).toEqual({
      statusCode: 400,
      error: 'UPLOAD_INTERRUPTED',
      message: 'the upload ended early',
      processed: { rows: 1200, queued: 1100, invalid: 100 },
    });
  });
});
