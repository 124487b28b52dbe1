import { isMainThread } from 'node:worker_threads';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One Prometheus registry per process, with Node's default metrics. Worker threads are not
 * scraped, so they collect none (the process figures come from the main thread).
 */
export const metricsRegistry = new Registry();
if (isMainThread) collectDefaultMetrics({ register: metricsRegistry });

/**
 * `zeroed`: label sets whose series are shown at 0 before their first increment. An alert on
 * `increase()` counts nothing for a series whose first sample is already 1, so without them the
 * first event of each set after a start would go unseen.
 */
export function counter(
  name: string,
  help: string,
  labelNames: string[] = [],
  zeroed: Record<string, string>[] = [],
): Counter<string> {
  const metric =
    (metricsRegistry.getSingleMetric(name) as Counter<string>) ??
    new Counter({ name, help, labelNames, registers: [metricsRegistry] });
  for (const labels of zeroed) metric.inc(labels, 0);
  return metric;
}

export function gauge(name: string, help: string, labelNames: string[] = []): Gauge<string> {
  return (
    (metricsRegistry.getSingleMetric(name) as Gauge<string>) ??
    new Gauge({ name, help, labelNames, registers: [metricsRegistry] })
  );
}

export function histogram(
  name: string,
  help: string,
  buckets: number[],
  labelNames: string[] = [],
): Histogram<string> {
  return (
    (metricsRegistry.getSingleMetric(name) as Histogram<string>) ??
    new Histogram({ name, help, buckets, labelNames, registers: [metricsRegistry] })
  );
}
