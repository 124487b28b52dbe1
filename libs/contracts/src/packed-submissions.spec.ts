import { MessageChannel } from 'node:worker_threads';
import { packSubmissions, unpackSubmissions } from './packed-submissions';

const text = (records: { key: Buffer; value: Buffer }[]) =>
  records.map(({ key, value }) => ({ key: key.toString(), value: value.toString() }));

describe('packed submissions', () => {
  it('unpacks to the records it packed, in order, multi-byte characters and empty values included', () => {
    const encoded = [
      { key: '5001234567', value: '{"meterSerial":"Счётчик-1"}' },
      { key: '5001234568', value: '' },
      { key: '', value: '{"confidence":null}' },
    ];
    expect(text(unpackSubmissions(packSubmissions(encoded)))).toEqual(encoded);
  });

  it('packs nothing into an empty block', () => {
    const packed = packSubmissions([]);
    expect(packed.bytes.byteLength).toBe(0);
    expect(unpackSubmissions(packed)).toEqual([]);
  });

  it('survives a transfer to another thread, leaving the sender with no copy', async () => {
    const encoded = [{ key: '5001234567', value: '{"n":1}' }];
    const packed = packSubmissions(encoded);
    const { port1, port2 } = new MessageChannel();
    const received = new Promise<typeof packed>((resolve) => port2.once('message', resolve));
    port1.postMessage(packed, [packed.bytes]);
    const arrived = await received;
    port1.close();
    expect(packed.bytes.byteLength).toBe(0);
    expect(text(unpackSubmissions(arrived))).toEqual(encoded);
  });
});
