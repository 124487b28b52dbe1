import type { INestApplication } from '@nestjs/common';
import { issuedDocumentPeriods, moscowDate } from '@gw/domain';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { SystemClock } from '../../apps/cabinet-api/src/clock';
import { type MailCatcher, startMailCatcher } from '../../scripts/mail-catcher';
import { createOperator, login, startBackoffice } from '../backoffice/backoffice-app';
import { type Resident, seedCharges, signUp, startCabinet } from '../cabinet/cabinet-support';
import { addKiosk, type Kiosk, startGateway } from '../kiosk/kiosk-harness';
import {
  addScanningCentre,
  type ScanningCentreLogin,
  startSlipIngest,
} from '../slips/slip-harness';
import {
  addTerminal,
  startTerminalGateway,
  type TerminalCredentials,
} from '../terminal/support/terminal-gateway';
import { registryRecord, seedMeters, uniqueAccount, uniqueSerial } from './factories';
import { testDatabase } from './infra';
import { startProcessor } from './processor';

export const EDGE_NAMES = ['kiosk', 'terminal', 'cabinet', 'slips', 'backoffice'] as const;
export type EdgeName = (typeof EDGE_NAMES)[number];

/** An account with one cold-water meter, registered to a resident of the cabinet. */
export interface EdgeAccount {
  accountNumber: string;
  serial: string;
}

/**
 * Every HTTP edge and the reading-processor, real and in this process, with a credential of each
 * kind (kiosk, terminal, scanning centre, operator, resident) created the way operators create
 * them, and an account whose meter every channel can submit for.
 */
export class Edges {
  readonly apps = new Map<EdgeName | 'processor', INestApplication>();
  db!: DataSource;
  mail!: MailCatcher;
  kiosk!: Kiosk;
  terminal!: TerminalCredentials;
  centre!: ScanningCentreLogin;
  operator!: { login: string; password: string; token: string };
  resident!: Resident;
  account!: EdgeAccount;

  /** `env` adds to (or overrides) an app's environment, e.g. a kiosk rate limit. */
  static async start(env: Partial<Record<EdgeName, Record<string, string>>> = {}): Promise<Edges> {
    const edges = new Edges();
    try {
      await edges.boot(env);
    } catch (error) {
      await edges.stop();
      throw error;
    }
    return edges;
  }

  private async boot(env: Partial<Record<EdgeName, Record<string, string>>>): Promise<void> {
    const run = process.env.E2E_RUN_ID as string;
    this.db = await testDatabase();
    this.mail = await startMailCatcher();
    // One at a time: the in-process command line reads what each command prints.
    this.kiosk = await addKiosk('K-EDGE');
    this.terminal = await addTerminal(`T-EDGE-${run}-${Math.random().toString(36).slice(2, 8)}`);
    this.centre = await addScanningCentre();
    this.apps.set('processor', await startProcessor());
    this.apps.set('kiosk', await startGateway(env.kiosk));
    this.apps.set('terminal', await startTerminalGateway(env.terminal));
    this.apps.set('cabinet', await startCabinet(new SystemClock(), this.mail.url, env.cabinet));
    this.apps.set('slips', await startSlipIngest(env.slips));
    this.apps.set('backoffice', await startBackoffice(env.backoffice));

    const credentials = await createOperator(this.db, 'admin');
    this.operator = { ...credentials, token: await login(this.app('backoffice'), credentials) };

    this.account = { accountNumber: uniqueAccount(), serial: uniqueSerial('EDGE') };
    await seedMeters(this.db, [
      registryRecord({
        account_number: this.account.accountNumber,
        serial: this.account.serial,
        // Plenty of room, so that every channel's reading of one run can be accepted in turn.
        integer_digits: '8',
        initial_t1: '00000100.000',
      }),
    ]);
    const [period] = issuedDocumentPeriods(moscowDate(new Date()));
    const document = { accountNumber: this.account.accountNumber, period, amountCharged: '1.00' };
    await seedCharges(this.db, [document]);
    this.resident = await signUp(this.app('cabinet'), this.mail, document);
  }

  app(name: EdgeName | 'processor'): INestApplication {
    const app = this.apps.get(name);
    if (!app) throw new Error(`${name} is not running`);
    return app;
  }

  port(name: EdgeName | 'processor'): number {
    return (this.app(name).getHttpServer().address() as AddressInfo).port;
  }

  /** Submission rows the processor stored for these ids. */
  async decided(ids: string[]): Promise<string[]> {
    const rows: { submission_id: string }[] = await this.db.query(
      'SELECT submission_id FROM readings WHERE submission_id = ANY($1::uuid[])',
      [ids],
    );
    return rows.map((r) => r.submission_id);
  }

  async stop(): Promise<void> {
    for (const app of [...this.apps.values()].reverse()) await app.close();
    await this.mail?.close();
    await this.db?.destroy();
  }
}
