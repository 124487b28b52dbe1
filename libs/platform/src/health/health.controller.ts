import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { HttpDrain } from '../lifecycle/http-drain';
import { DependencyFree, HEALTH_INDICATORS, type HealthIndicator } from './health-check';

const CHECK_TIMEOUT_MS = 2000;

async function withTimeout(indicator: HealthIndicator): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>(
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
      this.indicators.map(async (i) => [i.name, await withTimeout(i)] as const),
    );
    const ok = results.every(([, up]) => up);
    res.status(ok ? 200 : 503);
    return {
      status: ok ? 'ok' : 'unavailable',
      checks: Object.fromEntries(results.map(([n, up]) => [n, up ? 'up' : 'down'])),
    };
  }
}
