import { type DynamicModule, Module, type Provider, type Type } from '@nestjs/common';
import { MetricsController } from '../metrics/metrics.controller';
import { HEALTH_INDICATORS, type HealthIndicator } from './health-check';
import { HealthController } from './health.controller';

/**
 * `/health/live`, `/health/ready` and `/metrics` for an app. `indicators` name the checks readiness
 * depends on; those not provided by a global module are passed in `providers`.
 */
@Module({})
export class ObservabilityModule {
  static forRoot(indicators: Type<HealthIndicator>[], providers: Provider[] = []): DynamicModule {
    return {
      module: ObservabilityModule,
      controllers: [HealthController, MetricsController],
      providers: [
        ...providers,
        {
          provide: HEALTH_INDICATORS,
          useFactory: (...all: HealthIndicator[]) => all,
          inject: indicators,
        },
      ],
    };
  }
}
