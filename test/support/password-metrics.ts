import { metricsRegistry } from '@gw/platform';

/** scrypt derivations this process has run so far (`password_hash_checks_total`). */
export async function scryptRuns(): Promise<number> {
  const metric = metricsRegistry.getSingleMetric('password_hash_checks_total');
  return (await metric?.get())?.values[0]?.value ?? 0;
}
