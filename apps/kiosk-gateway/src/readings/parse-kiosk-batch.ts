import { type Decoded, repeatedJsonName, repeatedNameProblem, utf8Text } from '@gw/contracts';
import { notJsonProblem } from '@gw/platform';
import { validateSync } from 'class-validator';
import { KioskBatchDto } from './kiosk-batch.dto';

/**
 * The raw body of a kiosk batch as a KioskBatchDto envelope, or the problem that makes it a 400:
 * not UTF-8, not JSON, a name given twice in one object, not an object, or a bad `batchId` /
 * `items` (more than 1000 items included). Items stay unvalidated here; each is checked on its own
 * later.
 */
export function parseKioskBatch(body: Uint8Array): Decoded<KioskBatchDto> {
  const text = utf8Text(body);
  if (text === null) return { ok: false, error: 'the body is not UTF-8' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: notJsonProblem((error as Error).message) };
  }
  const repeated = repeatedJsonName(text);
  if (repeated !== null) return { ok: false, error: repeatedNameProblem(repeated) };
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return { ok: false, error: 'the body must be a JSON object { batchId, items }' };
  const { batchId, items } = parsed as Partial<KioskBatchDto>;
  const batch = Object.assign(new KioskBatchDto(), { batchId, items });
  const errors = validateSync(batch, { stopAtFirstError: true, forbidUnknownValues: false });
  if (errors.length === 0) return { ok: true, value: batch };
  return {
    ok: false,
    error: errors
      .flatMap((e) => Object.values(e.constraints ?? {}).map((m) => `${e.property} ${m}`))
      .join('; '),
  };
}
