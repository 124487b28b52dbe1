import { KIOSK_PATHS, signKioskRequest, submissionId } from '@gw/contracts';
import { type RegistryRecord, toMoscowIso } from '@gw/domain';
import { randomBytes } from 'node:crypto';
import { sleep } from './supervisor';

/** A meter of the chaos registry, with the next value to report. */
export interface ChaosMeter {
  accountNumber: string;
  serial: string;
  value: number;
}

/** The meters of registry rows that `ctl registry import` answered for, each at 100. */
export function importedMeters(
  answer: { imported: number },
  records: RegistryRecord[],
): ChaosMeter[] {
  if (answer.imported !== records.length)
    throw new Error(`registry import: ${JSON.stringify(answer)}`);
  return records.map((r) => ({
    accountNumber: r.account_number as string,
    serial: r.serial as string,
    value: 100,
  }));
}

/** What the clients were told: every acknowledged submission id, and how often they retried. */
export class Ledger {
  readonly acknowledged = new Set<string>();
  /** Which client was told, for the report on anything lost. */
  readonly channelOf = new Map<string, string>();
  readonly retries = new Map<string, number>();
  readonly unexpected: string[] = [];
  sent = 0;

  retry(reason: string): void {
    this.retries.set(reason, (this.retries.get(reason) ?? 0) + 1);
  }
}

/** Why a request has to be sent again, or null when it was answered for good. */
type Attempt = { done: true } | { done: false; reason: string; waitMs: number };

/** Sends the same request until it is answered for good, as the docs tell clients to. */
async function untilAnswered(
  ledger: Ledger,
  attempt: (round: number) => Promise<Attempt>,
  running: () => boolean,
): Promise<void> {
  // Requests already sent are driven to an answer even after the load stopped.
  for (let round = 0; round < 600; round += 1) {
    const result = await attempt(round).catch((error: Error): Attempt => ({
      done: false,
      reason: error.name === 'TimeoutError' ? 'timeout' : 'connection error',
      waitMs: 500,
    }));
    if (result.done) return;
    ledger.retry(result.reason);
    await sleep(running() ? result.waitMs : Math.min(result.waitMs, 1000));
  }
  ledger.unexpected.push('a request was never answered after 600 attempts');
}

const REQUEST_TIMEOUT_MS = 15000;

function nextValue(meter: ChaosMeter): string {
  meter.value += 0.25;
  return meter.value.toFixed(3);
}

/**
 * A kiosk posting signed batches to the gateway instances in turn; on 503, a timeout or a broken
 * connection it resends the same batch (same `batchId` and `seq`, new nonce) to the next instance.
 */
export async function runKiosk(options: {
  kiosk: { kioskId: string; secret: string };
  gateways: () => string[];
  meters: ChaosMeter[];
  batchSize: number;
  intervalMs: number;
  ledger: Ledger;
  running: () => boolean;
}): Promise<void> {
  const { kiosk, gateways, meters, batchSize, intervalMs, ledger, running } = options;
  let batchNo = 0;
  while (running()) {
    const started = Date.now();
    batchNo += 1;
    const body = JSON.stringify({
      batchId: `${kiosk.kioskId}-${batchNo}`,
      items: Array.from({ length: batchSize }, (_, i) => {
        const meter = meters[Math.floor(Math.random() * meters.length)];
        return {
          seq: i + 1,
          accountNumber: meter.accountNumber,
          meterSerial: meter.serial,
          values: [{ zone: 'T1', value: nextValue(meter) }],
          readAt: toMoscowIso(new Date()),
        };
      }),
    });
    ledger.sent += batchSize;
    await untilAnswered(
      ledger,
      async (round) => {
        const urls = gateways();
        const timestamp = String(Math.floor(Date.now() / 1000));
        const nonce = randomBytes(16).toString('hex');
        const path = KIOSK_PATHS.readings;
        const res = await fetch(`${urls[(batchNo + round) % urls.length]}${path}`, {
          method: 'POST',
          body,
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
          headers: {
            'Content-Type': 'application/json',
            'X-Kiosk-Id': kiosk.kioskId,
            'X-Timestamp': timestamp,
            'X-Nonce': nonce,
            'X-Signature': signKioskRequest(kiosk.secret, {
              timestamp,
              nonce,
              method: 'POST',
              path,
              body,
            }),
          },
        });
        const text = await res.text();
        if (res.status === 202) {
          const answer = JSON.parse(text) as { items: { status: string; submissionId?: string }[] };
          for (const item of answer.items)
            if (item.status === 'queued') {
              ledger.acknowledged.add(item.submissionId as string);
              ledger.channelOf.set(
                item.submissionId as string,
                `kiosk ${new Date().toISOString()}`,
              );
            } else ledger.unexpected.push(`kiosk item ${item.status}: ${JSON.stringify(item)}`);
          return { done: true };
        }
        if (res.status === 503 || res.status === 500 || res.status === 429)
          return {
            done: false,
            reason: `kiosk ${res.status}`,
            waitMs: 1000 * Number(res.headers.get('retry-after') ?? 1),
          };
        ledger.unexpected.push(`kiosk ${res.status}: ${text.slice(0, 200)}`);
        return { done: true };
      },
      running,
    );
    await sleep(Math.max(0, intervalMs - (Date.now() - started)));
  }
}

const moscowTxnDate = (at: Date) => toMoscowIso(at).slice(0, 19).replace(/[-T:]/g, '');

/**
 * A payment terminal paying readings of one meter each time; on result 1, a timeout or a broken
 * connection it repeats the very same request (same `txn_id`), as the protocol asks.
 */
export async function runTerminal(options: {
  terminal: { terminalId: string; login: string; password: string };
  gateway: () => string;
  meters: ChaosMeter[];
  intervalMs: number;
  ledger: Ledger;
  running: () => boolean;
}): Promise<void> {
  const { terminal, gateway, meters, intervalMs, ledger, running } = options;
  const auth = `Basic ${Buffer.from(`${terminal.login}:${terminal.password}`).toString('base64')}`;
  let txn = Date.now() % 1e9;
  while (running()) {
    const started = Date.now();
    txn += 1;
    const meter = meters[Math.floor(Math.random() * meters.length)];
    const form = new URLSearchParams({
      command: 'pay',
      txn_id: String(txn),
      txn_date: moscowTxnDate(new Date()),
      account: meter.accountNumber,
      sum: '0.00',
      meter1: meter.serial,
      t1_1: nextValue(meter),
    }).toString();
    const id = submissionId({
      channel: 'payment-terminal',
      sourceId: terminal.terminalId,
      sourceRef: `${txn}/1`,
      meterSerial: meter.serial,
    });
    ledger.sent += 1;
    await untilAnswered(
      ledger,
      async () => {
        const res = await fetch(`${gateway()}/v1/terminal/osmp`, {
          method: 'POST',
          body: form,
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: auth },
        });
        const xml = await res.text();
        const result = /<result>(\d+)<\/result>/.exec(xml)?.[1];
        if (res.status === 200 && result === '0') {
          ledger.acknowledged.add(id);
          ledger.channelOf.set(id, `terminal ${new Date().toISOString()}`);
          return { done: true };
        }
        if (res.status >= 500 || result === '1')
          return { done: false, reason: `terminal ${result ?? res.status}`, waitMs: 1000 };
        ledger.unexpected.push(`terminal ${res.status}: ${xml.slice(0, 300)}`);
        return { done: true };
      },
      running,
    );
    await sleep(Math.max(0, intervalMs - (Date.now() - started)));
  }
}
