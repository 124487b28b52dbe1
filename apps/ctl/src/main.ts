import { Command, InvalidArgumentError } from 'commander';
import { parseRegistryRecord, REGISTRY_COLUMNS } from '@gw/domain';
import { createKafka, ensureTopics, gatewayTopics } from '@gw/messaging';
import {
  dataSourceOptions,
  migrate,
  OPERATOR_ROLES,
  type OperatorRole,
  OperatorRepository,
  RegistryRepository,
} from '@gw/persistence';
import { generateSecret, hashPassword, loadConfig } from '@gw/platform';
import { DataSource } from 'typeorm';
import { CtlEnv } from './ctl.env';
import { importCsv } from './csv-import';

/** Prints one JSON document on stdout: the CLI's only output there (contract section 5). */
function print(result: unknown): void {
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

async function withDatabase<T>(env: CtlEnv, work: (db: DataSource) => Promise<T>): Promise<T> {
  const db = await new DataSource(dataSourceOptions(env.DATABASE_URL, 2)).initialize();
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}

export function buildCli(env: CtlEnv): Command {
  const program = new Command('ctl')
    .description("Meter-reading gateway: operators' and administrators' command line")
    .showHelpAfterError();

  const registry = program
    .command('registry')
    .description('meter registry from the billing system');
  registry
    .command('import <file>')
    .description('import a registry CSV (idempotent; a row for a known serial updates it)')
    .action((file: string) =>
      withDatabase(env, async (db) => {
        const repository = new RegistryRepository(db);
        print(
          await importCsv(file, {
            columns: REGISTRY_COLUMNS,
            parse: parseRegistryRecord,
            write: (rows) => repository.upsertMeters(rows),
          }),
        );
      }),
    );

  const operator = program.command('operator').description('back-office operators');
  operator
    .command('add <login>')
    .description('create an operator (or reset their password) and print the password once')
    .requiredOption('--role <role>', `one of ${OPERATOR_ROLES.join(', ')}`, (role: string) => {
      if (!OPERATOR_ROLES.includes(role as OperatorRole))
        throw new InvalidArgumentError(`must be one of ${OPERATOR_ROLES.join(', ')}`);
      return role as OperatorRole;
    })
    .action((login: string, options: { role: OperatorRole }) =>
      withDatabase(env, async (db) => {
        if (!/^[A-Za-z0-9._-]{1,64}$/.test(login))
          throw new InvalidArgumentError('login must be 1 to 64 letters, digits, ".", "_" or "-"');
        const password = generateSecret();
        await new OperatorRepository(db).save(login, await hashPassword(password), options.role);
        print({ login, password });
      }),
    );

  const db = program.command('db').description('database administration');
  db.command('migrate')
    .description('apply pending migrations')
    .action(async () => print({ applied: await migrate(env.DATABASE_URL) }));

  const kafka = program.command('kafka').description('Kafka administration');
  kafka
    .command('topics')
    .description("create the gateway's topics that are missing")
    .option('--partitions <n>', 'partitions of the submission topic', (v) => Number(v), 6)
    .action(async (options: { partitions: number }) =>
      print({
        created: await ensureTopics(
          createKafka(env.KAFKA_BROKERS, 'ctl'),
          gatewayTopics(options.partitions),
        ),
      }),
    );

  return program;
}

if (require.main === module) {
  const fail = (error: unknown) => {
    process.stderr.write(`error: ${(error as Error).message ?? String(error)}\n`);
    process.exit(1);
  };
  try {
    buildCli(loadConfig(CtlEnv)).parseAsync(process.argv).catch(fail);
  } catch (error) {
    fail(error);
  }
}
