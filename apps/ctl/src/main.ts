import { Logger, type LoggerService } from '@nestjs/common';
import { Command, InvalidArgumentError } from 'commander';
import { KIOSK_ID_PATTERN } from '@gw/contracts';
import {
  canonicalEmail,
  CHARGE_COLUMNS,
  formatDate,
  moscowDate,
  PARTNER_MAP_COLUMNS,
  parseChargeRecord,
  parsePartnerMapRecord,
  parseRegistryRecord,
  REGISTRY_COLUMNS,
  REGISTRY_OPTIONAL_COLUMNS,
  SCANNING_CENTRE_ID,
} from '@gw/domain';
import { createKafka, ensureTopics, gatewayTopics, topicReplication } from '@gw/messaging';
import {
  migrate,
  OPERATOR_ROLES,
  type OperatorRole,
  RegistryRepository,
  retryOnLockConflict,
  TERMINAL_ID,
} from '@gw/persistence';
import {
  configurePasswordHashing,
  databaseTls,
  generateSecret,
  hashPassword,
  kafkaSecurity,
  keyId,
  loadConfig,
  parseIpRange,
  passwordHashingOf,
} from '@gw/platform';
import { randomBytes } from 'node:crypto';
import { addBillingCommands } from './billing/billing.commands';
import { importCsv } from './csv-import';
import { CtlEnv, kioskSecretBox } from './ctl.env';
import { addDlqCommands } from './dlq/dlq.commands';
import { ChargeImportRepository } from './persistence/charge-import.repository';
import {
  type CredentialHolder,
  CredentialStatusRepository,
} from './persistence/credential-status.repository';
import { CredentialRepository } from './persistence/credential.repository';
import { PartnerMapImportRepository } from './persistence/partner-map-import.repository';
import { withDatabase } from './persistence/with-database';
import { addVerificationCommands } from './verifications/verification.commands';
import { resealKioskSecrets } from './reseal-kiosk-secrets';
import { openWarning, terminalAllowList } from './terminal-allow-list';
import { terminalJson, terminalText } from './terminal-json';
import { wholeNumber } from './whole-number';

/** Prints one JSON document on stdout: the CLI's only output there (contract section 5). */
function print(result: unknown): void {
  process.stdout.write(`${terminalJson(result, 2)}\n`);
}

/** How many times `registry import` runs a file that lock conflicts keep rolling back. */
const REGISTRY_IMPORT_ATTEMPTS = 5;

/** How the audit log names changes made on the command line. */
const CTL_ACTOR = { login: 'ctl', role: 'ctl' };

/** What the ids of kiosks, terminals, scanning centres and the logins of operators are made of. */
const ID_RULE = 'must be 1 to 64 letters, digits, ".", "_" or "-"';

/**
 * An argument's parser refusing what `pattern` does not match: commander names the argument and
 * prints the command's usage after the error line, before the command connects to anything.
 */
function matching(pattern: RegExp, rule: string): (value: string) => string {
  return (value) => {
    if (!pattern.test(value)) throw new InvalidArgumentError(rule);
    return value;
  };
}

/**
 * `disable <id>` and `enable <id>` under a credential's command: every edge refuses a disabled
 * credential until it is enabled again; the change is written to the audit log.
 */
function addStatusCommands(
  parent: Command,
  env: CtlEnv,
  holder: CredentialHolder,
  idName: string,
  refusal: string,
): void {
  for (const disabled of [true, false])
    parent
      .command(`${disabled ? 'disable' : 'enable'} <${idName}>`)
      .description(disabled ? `${refusal} until enabled again` : `undo \`${holder} disable\``)
      .action((id: string) =>
        withDatabase(env, async (db) => {
          const statuses = new CredentialStatusRepository(db);
          if (!(await statuses.setDisabled(holder, id, disabled, CTL_ACTOR)))
            throw new InvalidArgumentError(`no ${holder} ${id}`);
          print({ [idName]: id, disabled });
        }),
      );
}

export function buildCli(env: CtlEnv): Command {
  configurePasswordHashing(passwordHashingOf(env));
  const program = new Command('ctl')
    .description("Meter-reading gateway: operators' and administrators' command line")
    // Commander's error lines quote what was typed (`unknown command '…'`): written as ours are.
    .configureOutput({ outputError: (text, write) => write(terminalText(text)) })
    .showHelpAfterError();

  const registry = program
    .command('registry')
    .description('meter registry from the billing system');
  registry
    .command('import <file>')
    .description('import a registry CSV (idempotent; a row for a known serial updates it)')
    .action((file: string) =>
      withDatabase(env, async (db) => {
        const today = formatDate(moscowDate(new Date()));
        // Rows are staged as they are parsed and counted (or refused) when merged, at the end.
        // The file is one transaction, which locks its meters in serial order as the processor
        // does; should PostgreSQL still end a deadlock with another writer by rolling back the
        // import, it runs again from the first line.
        const { fed, counts, refused } = await retryOnLockConflict(
          () =>
            new RegistryRepository(db).importMeters((stage) =>
              importCsv(file, {
                columns: REGISTRY_COLUMNS,
                optionalColumns: REGISTRY_OPTIONAL_COLUMNS,
                parse: (record) => parseRegistryRecord(record, today),
                write: async (rows, lines) => {
                  await stage(rows, lines);
                  return { imported: 0, updated: 0 };
                },
              }),
            ),
          {
            attempts: REGISTRY_IMPORT_ATTEMPTS,
            onRetry: (attempt, error) =>
              new Logger('registry import').warn({
                msg: 'rolled back by a lock conflict; importing the file again',
                attempt,
                error: (error as Error).message,
              }),
          },
        );
        const failed = [...fed.failed, ...refused].sort((a, b) => a.line - b.line);
        print({ ...counts, failed });
      }),
    );

  const charges = program
    .command('charges')
    .description('billing charges per account and period (cabinet registration checks them)');
  charges
    .command('import <file>')
    .description(
      'import a charges CSV (idempotent; a row for a known account and period updates it)',
    )
    .action((file: string) =>
      withDatabase(env, async (db) => {
        const repository = new ChargeImportRepository(db);
        print(
          await importCsv(file, {
            columns: CHARGE_COLUMNS,
            parse: parseChargeRecord,
            write: (rows) => repository.upsertCharges(rows),
          }),
        );
      }),
    );

  const partnerMap = program
    .command('partner-map')
    .description('Mosenergosbyt cross-reference of partner accounts and meters');
  partnerMap
    .command('import <file>')
    .description(
      'import a cross-reference CSV (idempotent; the mosenergosbyt-feed then releases parked readings)',
    )
    .action((file: string) =>
      withDatabase(env, async (db) => {
        // Rows are staged as they are parsed and counted when merged, at the end, in one
        // transaction: the feed sees the cross-reference as it was until the whole file is in.
        const { fed, counts } = await new PartnerMapImportRepository(db).importMappings((stage) =>
          importCsv(file, {
            columns: PARTNER_MAP_COLUMNS,
            parse: parsePartnerMapRecord,
            write: stage,
          }),
        );
        print({ ...counts, failed: fed.failed });
      }),
    );

  const resident = program.command('resident').description("residents' web cabinet");
  resident
    .command('revoke')
    .argument('<email>', 'as registered (case and spaces do not matter)', (email: string) => {
      const canonical = canonicalEmail(email);
      if (!canonical) throw new InvalidArgumentError('must be an e-mail address');
      return canonical;
    })
    .description(
      'end every cabinet session of a resident at once (their tokens stop working); they can sign in again',
    )
    .action((email: string) =>
      withDatabase(env, async (db) => {
        if (!(await new CredentialRepository(db).endResidentSessions(email)))
          throw new InvalidArgumentError('no resident with this e-mail');
        print({ email, revoked: true });
      }),
    );

  const operator = program.command('operator').description('back-office operators');
  operator
    .command('add')
    .argument('<login>', "the operator's login", matching(/^[A-Za-z0-9._-]{1,64}$/, ID_RULE))
    .description(
      'create an operator (or reset their password, which ends their sessions; logins ignore case) and print the password once',
    )
    .requiredOption('--role <role>', `one of ${OPERATOR_ROLES.join(', ')}`, (role: string) => {
      if (!OPERATOR_ROLES.includes(role as OperatorRole))
        throw new InvalidArgumentError(`must be one of ${OPERATOR_ROLES.join(', ')}`);
      return role as OperatorRole;
    })
    .action((login: string, options: { role: OperatorRole }) =>
      withDatabase(env, async (db) => {
        const password = generateSecret();
        const saved = await new CredentialRepository(db).saveOperator(
          login,
          await hashPassword(password),
          options.role,
          CTL_ACTOR,
        );
        print({ login: saved, password });
      }),
    );
  operator
    .command('revoke <login>')
    .description(
      'end every session of an operator at once (their tokens stop working); they can log in again (to keep them out: operator disable)',
    )
    .action((login: string) =>
      withDatabase(env, async (db) => {
        if (!(await new CredentialRepository(db).endOperatorSessions(login, CTL_ACTOR)))
          throw new InvalidArgumentError(`no operator ${login}`);
        print({ login, revoked: true });
      }),
    );
  addStatusCommands(
    operator,
    env,
    'operator',
    'login',
    'end every session of the operator and refuse their sign-in',
  );

  const terminal = program.command('terminal').description('payment terminals (OSMP check/pay)');
  terminal
    .command('add')
    .argument('<terminalId>', "the terminal's id, also its login", matching(TERMINAL_ID, ID_RULE))
    .description(
      'create a terminal (or reset its password and allow-list) and print the password once; login = terminalId',
    )
    .option(
      '--allow-ip <address>',
      'an IP address or CIDR range the terminal may call from (repeatable; with neither this nor --allow-any, the gateway refuses the terminal outside development mode)',
      (value: string, previous: string[]) => {
        const range = parseIpRange(value);
        if (!range) throw new InvalidArgumentError('must be an IP address or a CIDR range');
        return [...previous, range];
      },
      [] as string[],
    )
    .option('--allow-any', 'let the terminal call from any address (instead of --allow-ip)')
    .action((terminalId: string, options: { allowIp: string[]; allowAny?: boolean }) =>
      withDatabase(env, async (db) => {
        const allowAny = options.allowAny === true;
        const allowList = terminalAllowList(options.allowIp, allowAny);
        const warning = openWarning(terminalId, options.allowIp, allowAny);
        if (warning) process.stderr.write(`${warning}\n`);
        const password = generateSecret();
        await new CredentialRepository(db).saveTerminal({
          terminalId,
          login: terminalId,
          passwordHash: await hashPassword(password),
          allowList,
        });
        print({ terminalId, login: terminalId, password });
      }),
    );
  addStatusCommands(
    terminal,
    env,
    'terminal',
    'terminalId',
    'refuse the terminal (HTTP 401, as for wrong credentials)',
  );

  const kiosk = program.command('kiosk').description('reading kiosks (signed JSON batches)');
  kiosk
    .command('add')
    .argument('<kioskId>', "the kiosk's id", matching(KIOSK_ID_PATTERN, ID_RULE))
    .description(
      'register a kiosk (or give it a new secret) and print its signing secret once; stored sealed with KIOSK_SECRET_KEY',
    )
    .action((kioskId: string) =>
      withDatabase(env, async (db) => {
        const box = kioskSecretBox(env);
        const secret = generateSecret(32);
        await new CredentialRepository(db).saveKioskSecret(kioskId, box.seal(secret, kioskId));
        print({ kioskId, secret });
      }),
    );
  addStatusCommands(
    kiosk,
    env,
    'kiosk',
    'kioskId',
    "refuse the kiosk's requests (401, as for an unknown kiosk)",
  );

  const scanner = program
    .command('scanner')
    .description('scanning centres that upload batches of tear-off slips');
  scanner
    .command('add')
    .argument(
      '<centreId>',
      "the scanning centre's id, also its login",
      matching(SCANNING_CENTRE_ID, ID_RULE),
    )
    .description(
      'create a scanning centre (or reset its password) and print the password once; login = centreId',
    )
    .action((centreId: string) =>
      withDatabase(env, async (db) => {
        const password = generateSecret();
        await new CredentialRepository(db).saveScanningCentre(
          centreId,
          centreId,
          await hashPassword(password),
        );
        print({ centreId, login: centreId, password });
      }),
    );
  addStatusCommands(
    scanner,
    env,
    'scanner',
    'centreId',
    "refuse the scanning centre's uploads and status requests (401)",
  );

  const keys = program
    .command('keys')
    .description('keys of tokens and of kiosk secrets, and their rotation (docs/security.md)');
  keys
    .command('generate')
    .description(
      'print a new random key and its key id, for KIOSK_SECRET_KEY, CABINET_SECRET or BACKOFFICE_TOKEN_SECRET',
    )
    .action(() => {
      const key = randomBytes(32).toString('hex');
      print({ key, keyId: keyId(key) });
    });
  keys
    .command('reseal-kiosk-secrets')
    .description(
      'seal every kiosk secret with KIOSK_SECRET_KEY, opening it with that key or KIOSK_SECRET_KEY_PREVIOUS (exit code 1 when some open with neither)',
    )
    .action(() =>
      withDatabase(env, async (db) => {
        const report = await resealKioskSecrets(new CredentialRepository(db), kioskSecretBox(env));
        print(report);
        if (report.unopenable.length > 0) process.exitCode = 1;
      }),
    );

  const db = program.command('db').description('database administration');
  db.command('migrate')
    .description('apply pending migrations')
    .action(async () => print({ applied: await migrate(env.DATABASE_URL, databaseTls(env)) }));

  const kafka = program.command('kafka').description('Kafka administration');
  kafka
    .command('topics')
    .description(
      "create the gateway's missing topics with KAFKA_REPLICATION_FACTOR, KAFKA_MIN_INSYNC_REPLICAS and KAFKA_PARTITIONS, and check the existing ones against them (exit code 1 while a problem remains)",
    )
    .option(
      '--partitions <n>',
      'partitions of the submission and outcome topics (default: KAFKA_PARTITIONS)',
      // The range of the KAFKA_PARTITIONS setting.
      wholeNumber(1, 1000, 'partitions'),
      env.KAFKA_PARTITIONS,
    )
    .action(async (options: { partitions: number }) => {
      const report = await ensureTopics(
        createKafka(env.KAFKA_BROKERS, 'ctl', kafkaSecurity(env)),
        gatewayTopics(options.partitions),
        topicReplication(env),
      );
      print(report);
      if (report.problems.length > 0) process.exitCode = 1;
    });

  addDlqCommands(program, env, { withDatabase, print, actor: CTL_ACTOR });
  addVerificationCommands(program, env, { withDatabase, print, actor: CTL_ACTOR });
  addBillingCommands(program, env, { withDatabase, print, actor: CTL_ACTOR });

  return program;
}

/**
 * Log lines as JSON on stderr: stdout carries the command's JSON alone. kafkajs' own lines (each
 * retry of a broker that does not answer) only at LOG_LEVEL debug: the command's error says what
 * failed.
 */
function stderrLogger(debug: boolean): LoggerService {
  const write =
    (level: string) =>
    (message: unknown, ...context: unknown[]) => {
      if (context.at(-1) === 'kafkajs' && !debug) return;
      process.stderr.write(`${terminalJson({ level, context: context.at(-1), message })}\n`);
    };
  const ignore = () => undefined;
  return {
    log: write('log'),
    warn: write('warn'),
    error: write('error'),
    debug: debug ? write('debug') : ignore,
    verbose: debug ? write('verbose') : ignore,
  };
}

/**
 * Runs the command line on this process's arguments; a failure is one line on stderr and exit code
 * 1, an error nothing handled (a rejected promise, an emitter's error event) included.
 */
export function main(): void {
  const fail = (error: unknown) => {
    const message = (error as Error).message ?? String(error);
    // kafkajs' errors do not say they are Kafka's ("Connection error: connect ECONNREFUSED …").
    const kafka = String((error as Error).name).startsWith('KafkaJS') ? 'Kafka: ' : '';
    process.stderr.write(`error: ${terminalText(`${kafka}${message}`)}\n`);
    process.exit(1);
  };
  process.on('uncaughtException', fail);
  try {
    const env = loadConfig(CtlEnv);
    Logger.overrideLogger(stderrLogger(['debug', 'verbose'].includes(env.LOG_LEVEL)));
    buildCli(env).parseAsync(process.argv).catch(fail);
  } catch (error) {
    fail(error);
  }
}

if (require.main === module) main();
