import { Inject, Injectable } from '@nestjs/common';
import { imageRefProblem, SLIP_IMAGE_TYPES, sniffSlipImageType } from '@gw/domain';
import { counter } from '@gw/platform';
import { SlipImageRepository, type SlipImageUpload } from './persistence/slip-image.repository';
import { SlipBatchError, slipImageTooLarge, uploadSuperseded } from './slip-batch.errors';
import { SLIP_INGEST_OPTIONS, type SlipIngestOptions } from './slip-ingest.env';
import type { SlipImagePart } from './slip-upload.stream';

const imagesSaved = counter('slip_images_saved_total', 'Scanned slip images stored');

/**
 * Keeps a scanned slip image a scanning centre sent with a batch, under the image_ref its rows
 * name it by. The type is read from the leading bytes alone (a declared type or a name can lie):
 * JPEG, PNG and WebP only, so nothing a browser could run is ever served back. An image that came
 * with an upload is stored only while that upload holds its batch, as its rows are.
 */
@Injectable()
export class SaveSlipImageUseCase {
  constructor(
    private readonly images: SlipImageRepository,
    @Inject(SLIP_INGEST_OPTIONS) private readonly options: SlipIngestOptions,
  ) {}

  async execute(
    centreId: string,
    { imageRef, bytes }: SlipImagePart,
    upload: SlipImageUpload | null = null,
  ): Promise<void> {
    const refProblem =
      imageRef === '' ? 'the image part has no file name' : imageRefProblem(imageRef);
    if (refProblem)
      throw new SlipBatchError(
        'SLIP_IMAGE_REF_INVALID',
        `${refProblem}: an image part's file name is the image_ref of its rows`,
      );
    if (bytes.length > this.options.maxImageBytes)
      throw slipImageTooLarge(imageRef, this.options.maxImageBytes);
    const contentType = sniffSlipImageType(bytes);
    if (!contentType)
      throw new SlipBatchError(
        'SLIP_IMAGE_TYPE_UNSUPPORTED',
        `image ${JSON.stringify(imageRef)} is not ${SLIP_IMAGE_TYPES.join(', ')} (judged by its content)`,
      );
    const image = { centreId, imageRef, contentType, bytes };
    if (!upload) await this.images.save(image);
    else if (!(await this.images.saveForUpload(image, upload)))
      throw uploadSuperseded(upload.batchId);
    imagesSaved.inc();
  }
}
