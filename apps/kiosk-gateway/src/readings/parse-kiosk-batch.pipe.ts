import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';
import { validateSync } from 'class-validator';
import { KioskBatchDto } from './kiosk-batch.dto';

/**
 * The raw body of a kiosk batch as a KioskBatchDto envelope, or 400 naming the problem: not
 * JSON, not an object, or a bad `batchId` / `items` (more than 1000 items included). Items stay
 * unvalidated here; each is checked on its own later.
 */
@Injectable()
export class ParseKioskBatchPipe implements PipeTransform<Buffer, KioskBatchDto> {
  transform(body: Buffer): KioskBatchDto {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch (error) {
      throw new BadRequestException(`the body is not valid JSON: ${(error as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new BadRequestException('the body must be a JSON object { batchId, items }');
    const { batchId, items } = parsed as Partial<KioskBatchDto>;
    const batch = Object.assign(new KioskBatchDto(), { batchId, items });
    const errors = validateSync(batch, { stopAtFirstError: true, forbidUnknownValues: false });
    if (errors.length > 0)
      throw new BadRequestException(
        errors
          .flatMap((e) => Object.values(e.constraints ?? {}).map((m) => `${e.property} ${m}`))
          .join('; '),
      );
    return batch;
  }
}
