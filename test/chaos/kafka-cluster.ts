import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(__dirname, '..', '..');
const run = promisify(execFile);

/** deploy/kafka-local/cluster.sh on a data folder and ports of the chaos run's own. */
export class ChaosKafkaCluster {
  private readonly env: NodeJS.ProcessEnv;
  readonly brokers: string;

  constructor(dir: string, portBase: number) {
    this.env = {
      ...process.env,
      KAFKA_CLUSTER_DIR: join(dir, 'kafka'),
      KAFKA_CLUSTER_PORT_BASE: String(portBase),
    };
    this.brokers = [1, 2, 3].map((n) => `127.0.0.1:${portBase + n}`).join(',');
  }

  private async cluster(...args: string[]): Promise<void> {
    await run('bash', [join(ROOT, 'deploy/kafka-local/cluster.sh'), ...args], {
      env: this.env,
      timeout: 180000,
    });
  }

  start = () => this.cluster('start');
  kill = (node: number) => this.cluster('kill', String(node));
  restart = (node: number) => this.cluster('restart', String(node));
  reset = () => this.cluster('reset');
}
