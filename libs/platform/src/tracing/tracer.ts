import {
  type DynamicModule,
  Global,
  Injectable,
  Logger,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { BaseEnv } from '../config/base.env';
import { counter } from '../metrics/metrics';
import { otlpTraceRequest, parseOtlpHeaders, type SpanRecord } from './otlp-trace-request';

/** Where and how an app exports its spans; null `url` switches export off. */
export interface TracingOptions {
  serviceName: string;
  /** The full OTLP/HTTP traces URL (`…/v1/traces`); null: no export. */
  url: string | null;
  /** Extra request headers (a collector's API key); never logged. */
  headers?: Record<string, string>;
}

/**
 * The export the OpenTelemetry variables describe: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` as it is,
 * or `OTEL_EXPORTER_OTLP_ENDPOINT` with `/v1/traces` appended; neither set, no export.
 */
export function tracingOptions(env: BaseEnv, appName: string): TracingOptions {
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/+$/, '');
  return {
    serviceName: env.OTEL_SERVICE_NAME ?? appName,
    url: env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (base ? `${base}/v1/traces` : null),
    headers: parseOtlpHeaders(env.OTEL_EXPORTER_OTLP_HEADERS ?? '') ?? {},
  };
}

/** Spans wait at most this long before they are sent; a full batch goes at once. */
const FLUSH_INTERVAL_MS = 2000;
const BATCH_SIZE = 512;
/** Beyond this many waiting spans (a collector down for long) new ones are dropped, not kept. */
const MAX_QUEUED = 8192;
const EXPORT_TIMEOUT_MS = 5000;

const exported = counter('otlp_spans_exported_total', 'Spans the collector accepted');
const dropped = counter(
  'otlp_spans_dropped_total',
  'Spans not exported: the queue was full or the collector refused or did not answer',
);

/**
 * Records the app's spans and sends them to an OTLP/HTTP collector in JSON batches. Without a
 * collector configured it records nothing. Only sampled spans (trace flag bit 0) are sent.
 * Export never holds up a request or a batch: spans are queued and sent in the background, and a
 * failed export is counted and logged once until exports work again.
 */
@Injectable()
export class Tracer implements OnApplicationShutdown {
  private readonly logger = new Logger('Tracer');
  private queue: SpanRecord[] = [];
  private readonly timer: NodeJS.Timeout | null;
  private sending: Promise<void> = Promise.resolve();
  private failing = false;

  constructor(private readonly options: TracingOptions) {
    this.timer = options.url ? setInterval(() => void this.flush(), FLUSH_INTERVAL_MS) : null;
    this.timer?.unref();
  }

  get enabled(): boolean {
    return this.options.url !== null;
  }

  record(span: SpanRecord): void {
    if (!this.enabled || (span.span.flags & 1) === 0) return;
    if (this.queue.length >= MAX_QUEUED) {
      dropped.inc();
      return;
    }
    this.queue.push(span);
    if (this.queue.length >= BATCH_SIZE) void this.flush();
  }

  /** Sends what is queued, one batch after another; resolves when every batch has been answered. */
  flush(): Promise<void> {
    this.sending = this.sending.then(async () => {
      while (this.queue.length > 0) await this.send(this.queue.splice(0, BATCH_SIZE));
    });
    return this.sending;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  private async send(spans: SpanRecord[]): Promise<void> {
    try {
      const res = await fetch(this.options.url as string, {
        method: 'POST',
        headers: { ...this.options.headers, 'Content-Type': 'application/json' },
        body: JSON.stringify(otlpTraceRequest(this.options.serviceName, spans)),
        signal: AbortSignal.timeout(EXPORT_TIMEOUT_MS),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      exported.inc(spans.length);
      if (this.failing) this.logger.log({ msg: 'span export works again' });
      this.failing = false;
    } catch (error) {
      dropped.inc(spans.length);
      if (!this.failing)
        this.logger.warn({
          msg: 'span export failed; spans are dropped until it works again',
          spans: spans.length,
          error: (error as Error).message,
        });
      this.failing = true;
    }
  }
}

/** The app's Tracer, for the request middleware and whatever records spans of its own. */
@Global()
@Module({})
export class TracingModule {
  static forRoot(options: TracingOptions): DynamicModule {
    return {
      module: TracingModule,
      providers: [{ provide: Tracer, useFactory: () => new Tracer(options) }],
      exports: [Tracer],
    };
  }
}
