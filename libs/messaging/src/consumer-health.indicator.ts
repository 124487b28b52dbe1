import { Injectable } from '@nestjs/common';
import { ConsumerHealth } from './consumer-health';
import type { HealthIndicator, HealthReport } from '@gw/platform';

@Injectable()
export class ConsumerHealthIndicator implements HealthIndicator {
  readonly name = 'consumer';

  constructor(private readonly health: ConsumerHealth) {}

  async check(): Promise<HealthReport> {
    return { up: this.health.healthy, detail: this.health.status };
  }
}
