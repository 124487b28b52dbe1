import {
  checkManifests,
  documentedSecretKeys,
  type Manifest,
  parseManifests,
} from './k8s-manifests';

describe('parseManifests', () => {
  it('reads what kubectl kustomize prints: documents, maps, sequences at the key, scalars', () => {
    const yaml = [
      'apiVersion: v1',
      'data:',
      '  LOG_LEVEL: log',
      '  SHUTDOWN_DELAY_MS: "5000"',
      'kind: ConfigMap',
      '---',
      'spec:',
      '  containers:',
      '  - args:',
      '    - node',
      '    - dist/apps/ctl/main.js',
      '    name: ctl',
      '    ports:',
      '    - containerPort: 3001',
      '      name: http',
      '    securityContext:',
      '      readOnlyRootFilesystem: true',
      '  volumes:',
      '  - emptyDir: {}',
      '    name: tmp',
      "  quoted: 'it''s: {{ $labels.x }}'",
      '  folded: (time() - a) > 300 and on (topic)',
      '    b > 0',
      "  wrapped: 'one two",
      "    three'",
      '  literal: |-',
      '    line one',
      '      indented',
      '  empty: []',
      '  nothing: null',
    ].join('\n');
    expect(parseManifests(yaml)).toEqual([
      {
        apiVersion: 'v1',
        data: { LOG_LEVEL: 'log', SHUTDOWN_DELAY_MS: '5000' },
        kind: 'ConfigMap',
      },
      {
        spec: {
          containers: [
            {
              args: ['node', 'dist/apps/ctl/main.js'],
              name: 'ctl',
              ports: [{ containerPort: 3001, name: 'http' }],
              securityContext: { readOnlyRootFilesystem: true },
            },
          ],
          volumes: [{ emptyDir: {}, name: 'tmp' }],
          quoted: "it's: {{ $labels.x }}",
          folded: '(time() - a) > 300 and on (topic) b > 0',
          wrapped: 'one two three',
          literal: 'line one\n  indented',
          empty: [],
          nothing: null,
        },
      },
    ]);
  });
});

describe('documentedSecretKeys', () => {
  it('takes the keys named next to a Secret in the Kubernetes section only', () => {
    const guide = [
      '## Settings',
      '| `meter-gateway-secrets` | `ELSEWHERE` |',
      '## Kubernetes',
      '| `meter-gateway-secrets` | `DATABASE_URL` | every app |',
      'The `LOG_LEVEL` setting, on a line without a Secret.',
      '## Logs, metrics and traces',
      '| `meter-gateway-secrets` | `AFTER` |',
    ].join('\n');
    expect([...documentedSecretKeys(guide)]).toEqual(['meter-gateway-secrets/DATABASE_URL']);
  });
});

const container = (change: Record<string, unknown> = {}) => ({
  name: 'app',
  image: 'meter-gateway:1.0.0',
  livenessProbe: { httpGet: { path: '/health/live', port: 'http' } },
  readinessProbe: { httpGet: { path: '/health/ready', port: 'http' } },
  resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } },
  securityContext: {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
  },
  volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
  env: [
    {
      name: 'DATABASE_URL',
      valueFrom: { secretKeyRef: { key: 'DATABASE_URL', name: 'meter-gateway-secrets' } },
    },
    {
      name: 'MANAGEMENT_TOKEN',
      valueFrom: { secretKeyRef: { key: 'MANAGEMENT_TOKEN', name: 'meter-gateway-secrets' } },
    },
  ],
  ...change,
});
const meta = (name: string) => ({ name, namespace: 'meter-gateway' });
const deployment = (name: string, c = container()): Manifest => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: meta(name),
  spec: {
    selector: { matchLabels: { 'app.kubernetes.io/name': name } },
    template: {
      spec: {
        securityContext: { runAsNonRoot: true },
        containers: [c],
        volumes: [{ name: 'tmp', emptyDir: {} }],
      },
    },
  },
});
const EDGES = [
  'reading-processor',
  'kiosk-gateway',
  'terminal-gateway',
  'cabinet-api',
  'slip-ingest',
];
const hpa = (name: string, max = 4): Manifest => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: meta(name),
  spec: { scaleTargetRef: { name }, minReplicas: 1, maxReplicas: max, metrics: [] },
});
const pdb = (name: string): Manifest => ({
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: meta(name),
  spec: { selector: { matchLabels: { 'app.kubernetes.io/name': name } } },
});
const rule: Manifest = {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'PrometheusRule',
  metadata: meta('rules'),
  spec: { groups: [{ name: 'g', rules: [{ alert: 'PartitionStalled', expr: 'x' }] }] },
};
const monitor = (endpoint: Record<string, unknown> = {}): Manifest => ({
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'ServiceMonitor',
  metadata: meta('monitor'),
  spec: {
    selector: { matchLabels: {} },
    endpoints: [
      {
        port: 'http',
        path: '/metrics',
        authorization: {
          type: 'Bearer',
          credentials: { name: 'meter-gateway-secrets', key: 'MANAGEMENT_TOKEN' },
        },
        ...endpoint,
      },
    ],
  },
});
const valid = (): Manifest[] => [
  ...EDGES.flatMap((n) => [deployment(n), hpa(n), pdb(n)]),
  rule,
  monitor(),
];
const options = {
  documentedSecretKeys: new Set([
    'meter-gateway-secrets/DATABASE_URL',
    'meter-gateway-secrets/MANAGEMENT_TOKEN',
  ]),
  requiredAlerts: ['PartitionStalled'],
};
/** The processor's Deployment with one variable only, read from `secret/key`. */
const processorReading = (variable: string, secret: string, key: string) =>
  deployment(
    'reading-processor',
    container({ env: [{ name: variable, valueFrom: { secretKeyRef: { key, name: secret } } }] }),
  );
const replaceFirst = (objects: Manifest[], replacement: Manifest) => [
  replacement,
  ...objects.slice(1),
];

describe('checkManifests', () => {
  it('passes a complete set', () => {
    expect(checkManifests(valid(), options)).toEqual([]);
  });

  it.each<[string, (objects: Manifest[]) => Manifest[], string]>([
    [
      'an unknown kind',
      (o) => [...o, { apiVersion: 'v1', kind: 'Pod', metadata: meta('p') }],
      'Pod p: unknown apiVersion/kind v1/Pod',
    ],
    [
      'no readiness probe',
      (o) =>
        replaceFirst(o, deployment('reading-processor', container({ readinessProbe: undefined }))),
      'readinessProbe must GET /health/ready',
    ],
    [
      'no memory limit',
      (o) =>
        replaceFirst(
          o,
          deployment(
            'reading-processor',
            container({ resources: { requests: { cpu: '1', memory: '1Gi' } } }),
          ),
        ),
      'resources.limits.memory missing',
    ],
    [
      'a writable root filesystem',
      (o) =>
        replaceFirst(
          o,
          deployment(
            'reading-processor',
            container({
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
            }),
          ),
        ),
      'readOnlyRootFilesystem must be true',
    ],
    [
      'capabilities kept',
      (o) =>
        replaceFirst(
          o,
          deployment(
            'reading-processor',
            container({
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true },
            }),
          ),
        ),
      'capabilities must drop ALL',
    ],
    [
      'another image',
      (o) => replaceFirst(o, deployment('reading-processor', container({ image: 'nginx:latest' }))),
      'image must be meter-gateway:<tag>',
    ],
    [
      'the processor scaled beyond the partitions',
      (o) =>
        o.map((m) =>
          m.kind === 'HorizontalPodAutoscaler' &&
          (m.metadata as { name: string }).name === 'reading-processor'
            ? hpa('reading-processor', 13)
            : m,
        ),
      'maxReplicas 13 above the 12 partitions',
    ],
    [
      'an edge without an autoscaler',
      (o) =>
        o.filter(
          (m) =>
            !(
              m.kind === 'HorizontalPodAutoscaler' &&
              (m.metadata as { name: string }).name === 'slip-ingest'
            ),
        ),
      'slip-ingest: no HorizontalPodAutoscaler',
    ],
    [
      'a Deployment without a disruption budget',
      (o) =>
        o.filter(
          (m) =>
            !(
              m.kind === 'PodDisruptionBudget' &&
              (m.metadata as { name: string }).name === 'cabinet-api'
            ),
        ),
      'cabinet-api: no PodDisruptionBudget',
    ],
    [
      'an undocumented Secret key',
      (o) => replaceFirst(o, processorReading('X', 'other-secrets', 'TOKEN')),
      'Secret key other-secrets/TOKEN is not listed',
    ],
    [
      'a scrape without a bearer token',
      (o) => [
        ...o.filter((m) => m.kind !== 'ServiceMonitor'),
        monitor({ authorization: undefined }),
      ],
      'ServiceMonitor monitor endpoint /metrics: needs a bearer token from a Secret',
    ],
    [
      'a scrape token from an undocumented key',
      (o) => [
        ...o.filter((m) => m.kind !== 'ServiceMonitor'),
        monitor({
          authorization: { credentials: { name: 'meter-gateway-secrets', key: 'SCRAPE' } },
        }),
      ],
      'Secret key meter-gateway-secrets/SCRAPE is not listed',
    ],
    [
      'an app without MANAGEMENT_TOKEN',
      (o) => replaceFirst(o, deployment('reading-processor', container({ env: [] }))),
      'container app: MANAGEMENT_TOKEN must come from a Secret',
    ],
    [
      "an app whose token is not the scraper's",
      (o) =>
        replaceFirst(
          o,
          processorReading('MANAGEMENT_TOKEN', 'meter-gateway-secrets', 'DATABASE_URL'),
        ),
      "MANAGEMENT_TOKEN from meter-gateway-secrets/DATABASE_URL, not the ServiceMonitor's token",
    ],
    [
      'a missing alert',
      (o) => o.filter((m) => m.kind !== 'PrometheusRule'),
      'alert PartitionStalled missing',
    ],
  ])('refuses %s', (_name, change, problem) => {
    const problems = checkManifests(change(valid()), options);
    expect(problems).toEqual(expect.arrayContaining([expect.stringContaining(problem)]));
  });
});
