import { counter, gauge } from '@gw/platform';

/** The feed's own metrics; consumer lag is `consumer_lag_messages` of the batch consumer. */
export const feedMetrics = {
  mapped: counter(
    'mosenergosbyt_mapped_total',
    'Partner readings mapped and published as canonical submissions (directly or on release)',
    ['path'],
  ),
  unmapped: counter(
    'mosenergosbyt_unmapped_total',
    'Partner readings without a cross-reference row, parked',
  ),
  deadLettered: counter(
    'mosenergosbyt_dead_lettered_total',
    'Partner messages sent to the DLQ, by reason (MALFORMED, STORE_FAILED)',
    ['reason'],
    [{ reason: 'MALFORMED' }, { reason: 'STORE_FAILED' }],
  ),
  outbound: counter(
    'mosenergosbyt_outbound_total',
    'Accepted electricity readings of our channels published to the partner',
  ),
  outboundUnmapped: counter(
    'mosenergosbyt_outbound_unmapped_total',
    'Accepted outcomes of electricity readings of our channels not sent yet: their meter has no cross-reference row for the account; sent once it has one',
  ),
  outboundSkipped: counter(
    'mosenergosbyt_outbound_skipped_total',
    'Outcomes whose reading could not be claimed or sent for a reason that is not transient; logged and skipped',
  ),
  parked: gauge(
    'mosenergosbyt_parked_readings',
    'Parked partner readings not yet released: without a mapping, or behind an earlier parked reading of their pair',
  ),
};
