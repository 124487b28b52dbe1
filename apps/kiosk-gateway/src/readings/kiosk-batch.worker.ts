import 'reflect-metadata';
import { serveInWorker } from '@gw/platform';
import { prepareKioskBatch } from './prepare-kiosk-batch';

/** A worker thread of KioskBatchWorkers. */
serveInWorker(prepareKioskBatch);
