import { Injectable } from '@nestjs/common';
import { NotFoundError } from '../backoffice.errors';
import { type SlipImage, SlipImageRepository } from '../persistence/slip-image.repository';

/** The scanned slip of a reading, as its review item shows it. */
@Injectable()
export class GetSlipImageUseCase {
  constructor(private readonly images: SlipImageRepository) {}

  async execute(submissionId: string): Promise<SlipImage> {
    const image = await this.images.findBySubmission(submissionId);
    if (!image) throw new NotFoundError(`slip image of reading ${submissionId}`);
    return image;
  }
}
