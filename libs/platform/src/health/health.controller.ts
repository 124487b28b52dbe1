import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { HttpDrain } from '../lifecycle/http-drain';
import {
  DependencyFree,
  type HealthCheckResult,
  HEALTH_INDICATORS,
  type HealthIndicator,
} from './health-check';

const CHECK_TIMEOUT_MS = 2000;

async function withTimeout(indicator: HealthIndicator): Promise<HealthCheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<HealthCheckResult>(
    (resolve) => (timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS)),
  );
  try {
    return await Promise.race([indicator.check().catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

@ApiTags('health')
@DependencyFree()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(HEALTH_INDICATORS) private readonly indicators: HealthIndicator[],
    private readonly drain: HttpDrain,
  ) {}

  @Get('live')
  @HttpCode(200)
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) res: Response) {
    if (!this.drain.accepting) {
      res.status(503);
      return { status: 'draining' };
    }
    const results = await Promise.all(
      this.indicators.map(async (i) => {
        const result = await withTimeout(i);
        return typeof result === 'boolean'
          ? { name: i.name, up: result }
          : { name: i.name, ...result };
      }),
    );
    const ok = results.every(({ up }) => up);
    const details = results.filter((r) => 'detail' in r);
    res.status(ok ? 200 : 503);
    return {
      status: ok ? 'ok' : 'unavailable',
      checks: Object.fromEntries(results.map(({ name, up }) => [name, up ? 'up' : 'down'])),
      ...(details.length > 0 && {
        details: Object.fromEntries(details.map(({ name, detail }) => [name, detail])),
      }),
    };
  }
}
