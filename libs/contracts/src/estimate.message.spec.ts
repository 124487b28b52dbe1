import { estimateId } from './estimate.message';

describe('estimateId', () => {
  it('is the uuid v5 of the serial and the period, as integrators.md shows it', () => {
    // Pinned: billing deduplicates on it, so the name encoding must never change.
    expect(estimateId('19-123456', '2026-11')).toBe('82a826fa-4586-5ee7-8161-2995d48aa8b5');
  });

  it('differs by serial and by period, and is the same however often it is made', () => {
    const id = estimateId('19-123456', '2026-11');
    expect(estimateId('19-123456', '2026-11')).toBe(id);
    expect(estimateId('19-123457', '2026-11')).not.toBe(id);
    expect(estimateId('19-123456', '2026-12')).not.toBe(id);
  });
});
