import { parseRegistryRecord } from '@gw/domain';
import { dataSourceOptions, migrate, RegistryRepository } from '@gw/persistence';
import { loadConfig } from '@gw/platform';
import { DataSource } from 'typeorm';
import { CtlEnv } from '../apps/ctl/src/ctl.env';
import { buildCli } from '../apps/ctl/src/main';
import { dropDatabase, ensureDatabase } from '../scripts/local-env';
import { ArshinStub, arshinItem, arshinResult } from '../test/support/arshin-stub';

/**
 * `npm run bench:arshin`: `ctl verifications sync` over BENCH_METERS (default 20) expired meters
 * against the local Arshin stand-in answering at once, with ARSHIN_MIN_INTERVAL_MS (default
 * 1500): the rate limit, not the gateway, sets the pace. Prints the sync's report and its time.
 */
const METERS = Number(process.env.BENCH_METERS ?? 20);
const INTERVAL = process.env.ARSHIN_MIN_INTERVAL_MS ?? '1500';
const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

async function main(): Promise<void> {
  const database = await ensureDatabase('meter_gateway_arshin_bench', { fresh: true });
  const stub = await ArshinStub.start();
  try {
    await migrate(database.value);
    const db = await new DataSource(dataSourceOptions(database.value, 2)).initialize();
    const meters = Array.from({ length: METERS }, (_, i) => {
      const parsed = parseRegistryRecord({
        account_number: `7${String(i).padStart(9, '0')}`,
        serial: `AB-${i}`,
        resource: 'cold_water',
        zones: '1',
        integer_digits: '5',
        fraction_digits: '3',
        installed_on: '2019-01-10',
        verified_on: '2019-01-10',
        verification_interval_months: '72',
      });
      if (!parsed.ok) throw new Error(parsed.error);
      stub.answer(parsed.value.serial, {
        body: arshinResult([
          arshinItem({ mi_number: parsed.value.serial, verification_date: '01.11.2026' }),
          arshinItem({ mi_number: parsed.value.serial, verification_date: '10.01.2019' }),
        ]),
      });
      return parsed.value;
    });
    await new RegistryRepository(db).upsertMeters(meters);
    await db.destroy();
    const env = loadConfig(CtlEnv, {
      ...process.env,
      DATABASE_URL: database.value,
      ARSHIN_URL: stub.url,
      ARSHIN_MIN_INTERVAL_MS: INTERVAL,
    });
    const started = Date.now();
    await buildCli(env).parseAsync(['verifications', 'sync'], { from: 'user' });
    const seconds = (Date.now() - started) / 1000;
    log(
      `${METERS} meters at ARSHIN_MIN_INTERVAL_MS=${INTERVAL}: ${seconds.toFixed(1)} s, ` +
        `${((METERS / seconds) * 60).toFixed(1)} meters/min, ${stub.requests.length} requests`,
    );
  } finally {
    await stub.close();
    await dropDatabase(database.value);
  }
}

main().catch((error: Error) => {
  log(error.stack ?? error.message);
  process.exit(1);
});
