import type {
  SlipImageRecord,
  SlipImageRepository,
  SlipImageUpload,
} from './persistence/slip-image.repository';
import { SaveSlipImageUseCase } from './save-slip-image.use-case';
import type { SlipIngestOptions } from './slip-ingest.env';

const MAX = 64;
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xdb, 0, 0x43]);

function setup({ held = true } = {}) {
  const saved: SlipImageRecord[] = [];
  const forUpload: [SlipImageRecord, SlipImageUpload][] = [];
  const images = {
    save: async (image: SlipImageRecord) => void saved.push(image),
    saveForUpload: async (image: SlipImageRecord, upload: SlipImageUpload) => {
      if (held) forUpload.push([image, upload]);
      return held;
    },
  };
  const useCase = new SaveSlipImageUseCase(
    images as unknown as SlipImageRepository,
    {
      maxImageBytes: MAX,
    } as SlipIngestOptions,
  );
  return {
    saved,
    forUpload,
    save: (imageRef: string, bytes: Buffer) => useCase.execute('SC-1', { imageRef, bytes }),
    saveWith: (imageRef: string, bytes: Buffer) =>
      useCase.execute('SC-1', { imageRef, bytes }, { batchId: 'B-1', upload: 3 }),
  };
}

describe('SaveSlipImageUseCase', () => {
  it.each([
    ['a PNG under a path', '2026/11/20/S-1.png', PNG, 'image/png'],
    ['a JPEG named .png', 'S-2.png', JPEG, 'image/jpeg'],
    [
      'an image of exactly the limit',
      'S-3.png',
      Buffer.concat([PNG, Buffer.alloc(MAX - PNG.length)]),
      'image/png',
    ],
  ])('keeps %s as %s', async (_name, ref, bytes, type) => {
    const { saved, save } = setup();
    await save(ref, bytes);
    expect(saved).toEqual([{ centreId: 'SC-1', imageRef: ref, contentType: type, bytes }]);
  });

  it.each([
    ['no file name', '', PNG, 'SLIP_IMAGE_REF_INVALID', 'the image part has no file name'],
    [
      'a name of 513 characters',
      'i'.repeat(513),
      PNG,
      'SLIP_IMAGE_REF_INVALID',
      'image_ref must be at most 512',
    ],
    [
      'a control character in the name',
      'a\u0007.png',
      PNG,
      'SLIP_IMAGE_REF_INVALID',
      'without control characters',
    ],
    [
      'one byte over the limit',
      'big.png',
      Buffer.concat([PNG, Buffer.alloc(MAX - PNG.length + 1)]),
      'SLIP_IMAGE_TOO_LARGE',
      `larger than ${MAX} bytes`,
    ],
    [
      'a GIF',
      'g.png',
      Buffer.from('GIF89a'),
      'SLIP_IMAGE_TYPE_UNSUPPORTED',
      'image "g.png" is not image/jpeg, image/png, image/webp',
    ],
    [
      'nothing at all',
      'empty.png',
      Buffer.alloc(0),
      'SLIP_IMAGE_TYPE_UNSUPPORTED',
      'image "empty.png" is not',
    ],
  ])('refuses %s', async (_name, ref, bytes, code, message) => {
    const { saved, save } = setup();
    await expect(save(ref, bytes)).rejects.toMatchObject({
      code,
      message: expect.stringContaining(message),
    });
    expect(saved).toEqual([]);
  });

  it('keeps an image of an upload only while the upload holds its batch', async () => {
    const holding = setup();
    await holding.saveWith('S-1.png', PNG);
    expect(holding.forUpload).toEqual([
      [
        { centreId: 'SC-1', imageRef: 'S-1.png', contentType: 'image/png', bytes: PNG },
        { batchId: 'B-1', upload: 3 },
      ],
    ]);
    expect(holding.saved).toEqual([]);

    const overtaken = setup({ held: false });
    await expect(overtaken.saveWith('S-1.png', PNG)).rejects.toMatchObject({
      code: 'BATCH_BUSY',
      message: 'a newer upload of batch B-1 has taken over; this one stopped',
    });
    expect(overtaken.saved).toEqual([]);
  });
});
