import { type DynamicModule, Module, type Provider, type Type } from '@nestjs/common';
import { HttpDrain, SHUTDOWN_OPTIONS, type ShutdownOptions } from '../lifecycle/http-drain';
import { MetricsController } from '../metrics/metrics.controller';
import { HEALTH_INDICATORS, type HealthIndicator } from './health-check';
import { HealthController } from './health.controller';

/**
 * `/health/live`, `/health/ready` and `/metrics` for an app, and its graceful drain. `indicators`
 * name the checks readiness depends on; those not provided by a global module are passed in
 * `providers`.
 */
@Module({})
export class ObservabilityModule {
  static forRoot(
    indicators: Type<HealthIndicator>[],
    providers: Provider[] = [],
    shutdown: ShutdownOptions = { delayMs: 0, timeoutMs: 15_000 },
  ): DynamicModule {
    return {
      module: ObservabilityModule,
      controllers: [HealthController, MetricsController],
      providers: [
        ...providers,
        HttpDrain,
        { provide: SHUTDOWN_OPTIONS, useValue: shutdown },
        {
          provide: HEALTH_INDICATORS,
          useFactory: (...all: HealthIndicator[]) => all,
          inject: indicators,
        },
      ],
    };
  }
}
