#!/bin/sh
# Prometheus's entry point in the staging stack. The alert rules have one source, the
# PrometheusRule in deploy/k8s/base/monitoring.yaml: its `spec` is a Prometheus rule file, one
# indentation level in, so it is taken out here and Prometheus started on it.
set -eu
mkdir -p /prometheus/rules
awk '
  /^---/ { rule = 0; spec = 0; next }
  /^kind: PrometheusRule/ { rule = 1 }
  rule && spec { sub(/^  /, ""); print }
  rule && /^spec:/ { spec = 1 }
' /etc/prometheus/k8s/monitoring.yaml >/prometheus/rules/meter-gateway.yml
exec /bin/prometheus --config.file=/etc/prometheus/prometheus.yml --storage.tsdb.path=/prometheus \
  "$@"
