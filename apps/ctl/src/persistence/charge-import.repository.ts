import type { Charge } from '@gw/domain';
import type { UpsertCounts } from '@gw/persistence';
import type { DataSource } from 'typeorm';
import { upsertKeyedValues } from './keyed-upsert';

/** Loads billing charges per account and period from the billing system's export. */
export class ChargeImportRepository {
  constructor(private readonly db: DataSource) {}

  /** See `upsertKeyedValues`: one statement, unchanged rows left alone, a later row wins. */
  upsertCharges(rows: Charge[]): Promise<UpsertCounts> {
    return upsertKeyedValues(
      this.db,
      { table: 'charges', key: ['account_number', 'period'], value: 'amount_charged' },
      rows.map((n) => [n.accountNumber, n.period, n.amountCharged]),
    );
  }
}
