import type { Normative } from '@gw/domain';
import type { UpsertCounts } from '@gw/persistence';
import type { DataSource } from 'typeorm';
import { upsertKeyedValues } from './keyed-upsert';

/** Loads the billing system's normative volumes per account and resource. */
export class NormativeImportRepository {
  constructor(private readonly db: DataSource) {}

  /** See `upsertKeyedValues`: one statement, unchanged rows left alone, a later row wins. */
  upsert(rows: Normative[]): Promise<UpsertCounts> {
    return upsertKeyedValues(
      this.db,
      { table: 'normatives', key: ['account_number', 'resource'], value: 'monthly_volume' },
      rows.map((n) => [n.accountNumber, n.resource, n.monthlyVolume]),
    );
  }
}
