import { resolve } from 'node:path';
import { type ChildProcess, spawn } from 'node:child_process';
import { KafkaPublisher, type OutgoingMessage } from '@gw/messaging';
import { exited } from './processor-process';

const ROOT = resolve(__dirname, '..', '..');

/** Where the app kills itself: on publishing to `topic` a message whose value contains `marker`. */
export interface CrashPoint {
  topic: string;
  marker: string;
  /** Just before the publication, or just after Kafka acknowledged it. */
  at: 'before' | 'after';
}

/**
 * An app (`apps/<app>/src/main.ts`) as an OS process of its own that kills itself with SIGKILL at
 * `crash`: what it would do next (commit a transaction, an offset, answer) never happens, as after
 * a kill -9 at that moment. Its output goes to this process's stderr.
 */
export function spawnCrashingApp(
  main: string,
  crash: CrashPoint,
  env: Record<string, string>,
): ChildProcess {
  return spawn(
    process.execPath,
    [resolve(ROOT, 'scripts/run-ts.js'), 'test/support/crashing-app.ts', main],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        LOG_LEVEL: 'warn',
        ...env,
        CRASH_TOPIC: crash.topic,
        CRASH_MARKER: crash.marker,
        CRASH_AT: crash.at,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
}

/**
 * What a client of `app` got for `request` (an HTTP status, or `no answer` when the connection
 * broke), and the signal that ended `app`, once it has exited.
 */
export async function lastAnswer(
  app: ChildProcess,
  request: Promise<Response>,
): Promise<{ answer: number | 'no answer'; signal: NodeJS.Signals | null }> {
  const answer = await request.then(
    (res) => res.status,
    () => 'no answer' as const,
  );
  await exited(app);
  return { answer, signal: app.signalCode };
}

function crashOnPublish({ topic, marker, at }: CrashPoint): void {
  const publish = KafkaPublisher.prototype.publish;
  KafkaPublisher.prototype.publish = async function (
    this: KafkaPublisher,
    to: string,
    messages: OutgoingMessage[],
  ): Promise<void> {
    const hit = to === topic && messages.some((m) => String(m.value).includes(marker));
    if (hit && at === 'before') process.kill(process.pid, 'SIGKILL');
    await publish.call(this, to, messages);
    if (hit) process.kill(process.pid, 'SIGKILL');
  };
}

if (require.main === module) {
  crashOnPublish({
    topic: process.env.CRASH_TOPIC as string,
    marker: process.env.CRASH_MARKER as string,
    at: process.env.CRASH_AT === 'before' ? 'before' : 'after',
  });
  (require(resolve(ROOT, process.argv[2])) as { main(): void }).main();
}
