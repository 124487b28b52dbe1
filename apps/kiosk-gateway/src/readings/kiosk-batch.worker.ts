import 'reflect-metadata';
import { serveInWorker } from '@gw/platform';
import { prepareKioskBatch } from './prepare-kiosk-batch';

/** A worker thread of KioskBatchWorkers; a batch's packed records move to the event loop. */
serveInWorker(prepareKioskBatch, (prepared) => (prepared.ok ? [prepared.records.bytes] : []));
