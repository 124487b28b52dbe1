/**
 * Structural checks of the rendered Kubernetes manifests (`npm run check:k8s`), and a reader for
 * the YAML that `kubectl kustomize` prints: block maps and sequences, plain, quoted, folded and
 * literal scalars. It is not a general YAML parser (no anchors, tags or flow maps with content):
 * kustomize never prints those, and the project adds no YAML dependency.
 */

export type Yaml = string | number | boolean | null | Yaml[] | { [key: string]: Yaml };
export type Manifest = Record<string, Yaml>;

interface Line {
  indent: number;
  text: string;
}

const KEY = /^("[^"]*"|'[^']*'|[^\s'"#][^:]*?):(?: (.*))?$/;

function scalar(raw: string): Yaml {
  const text = raw.trim();
  if (text.startsWith("'")) return text.slice(1, -1).replace(/''/g, "'");
  if (text.startsWith('"')) return JSON.parse(text) as string;
  if (text === '{}') return {};
  if (text === '[]') return [];
  if (text.startsWith('['))
    return text
      .slice(1, -1)
      .split(',')
      .map((item) => scalar(item));
  if (text === 'true' || text === 'false') return text === 'true';
  if (text === 'null' || text === '~') return null;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  return text;
}

const keyOf = (raw: string) => scalar(raw) as string;

class Reader {
  private at = 0;

  constructor(private readonly lines: Line[]) {}

  document(): Yaml {
    return this.lines.length === 0 ? null : this.block(this.lines[0].indent);
  }

  private block(indent: number): Yaml {
    const line = this.lines[this.at];
    return line.text.startsWith('- ') || line.text === '-'
      ? this.sequence(indent)
      : this.map(indent);
  }

  private map(indent: number): Record<string, Yaml> {
    const map: Record<string, Yaml> = {};
    while (this.at < this.lines.length) {
      const line = this.lines[this.at];
      if (line.indent !== indent || line.text.startsWith('- ')) break;
      const match = KEY.exec(line.text);
      if (!match) throw new Error(`line ${this.at + 1}: expected "key: value", got "${line.text}"`);
      this.at += 1;
      map[keyOf(match[1])] = this.value(indent, match[2] ?? '', true);
    }
    return map;
  }

  private sequence(indent: number): Yaml[] {
    const list: Yaml[] = [];
    while (this.at < this.lines.length) {
      const line = this.lines[this.at];
      if (line.indent !== indent || !(line.text.startsWith('- ') || line.text === '-')) break;
      const rest = line.text.slice(2);
      if (KEY.test(rest) && !/^['"]/.test(rest)) {
        // "- key: value" opens a map whose keys line up with "key".
        this.lines[this.at] = { indent: indent + 2, text: rest };
        list.push(this.map(indent + 2));
      } else {
        this.at += 1;
        list.push(this.value(indent, rest, false));
      }
    }
    return list;
  }

  /** The value after "key:" or "- ": inline (maybe continued on deeper lines), a block, or nested. */
  private value(indent: number, rest: string, inMap: boolean): Yaml {
    const next = this.lines[this.at];
    if (rest === '') {
      if (!next) return null;
      if (next.indent > indent) return this.block(next.indent);
      // kustomize prints a map's sequence at the key's own indentation.
      if (inMap && next.indent === indent && next.text.startsWith('- '))
        return this.sequence(indent);
      return null;
    }
    if (/^[|>][-+]?$/.test(rest)) {
      const body: string[] = [];
      const base = next?.indent ?? 0;
      while (this.at < this.lines.length && this.lines[this.at].indent > indent) {
        const l = this.lines[this.at];
        body.push(' '.repeat(l.indent - base) + l.text);
        this.at += 1;
      }
      const text = rest.startsWith('|') ? body.join('\n') : body.join(' ');
      return rest.endsWith('-') ? text : `${text}\n`;
    }
    const parts = [rest];
    while (this.at < this.lines.length && this.lines[this.at].indent > indent) {
      parts.push(this.lines[this.at].text);
      this.at += 1;
    }
    return scalar(parts.join(' '));
  }
}

/** The objects of a multi-document YAML stream as `kubectl kustomize` prints it. */
export function parseManifests(yaml: string): Manifest[] {
  return yaml
    .split(/^---$/m)
    .map((doc) =>
      doc
        .split('\n')
        .filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'))
        .map((l) => ({ indent: l.length - l.trimStart().length, text: l.trim() })),
    )
    .filter((lines) => lines.length > 0)
    .map((lines) => new Reader(lines).document() as Manifest);
}

/** What each kind must carry, by `apiVersion/kind`. */
const KNOWN: Record<string, string[]> = {
  'v1/ConfigMap': ['data'],
  'v1/Service': ['spec.selector', 'spec.ports'],
  'apps/v1/Deployment': ['spec.selector.matchLabels', 'spec.template.spec.containers'],
  'batch/v1/Job': ['spec.template.spec.containers', 'spec.template.spec.restartPolicy'],
  'autoscaling/v2/HorizontalPodAutoscaler': [
    'spec.scaleTargetRef.name',
    'spec.minReplicas',
    'spec.maxReplicas',
    'spec.metrics',
  ],
  'policy/v1/PodDisruptionBudget': ['spec.selector.matchLabels'],
  'networking.k8s.io/v1/Ingress': ['spec.ingressClassName', 'spec.tls', 'spec.rules'],
  'monitoring.coreos.com/v1/ServiceMonitor': ['spec.selector', 'spec.endpoints'],
  'monitoring.coreos.com/v1/PrometheusRule': ['spec.groups'],
};

/** The processor's replicas beyond the submission topic's partitions would sit idle. */
export const SUBMISSION_PARTITIONS = 12;

export interface CheckOptions {
  /** The Secret keys the operations guide lists, as "secret/key". */
  documentedSecretKeys: Set<string>;
  /** Every alert the PrometheusRule must have. */
  requiredAlerts: string[];
}

type Obj = Record<string, Yaml>;
const get = (value: Yaml | undefined, path: string): Yaml | undefined =>
  path
    .split('.')
    .reduce<Yaml | undefined>(
      (v, key) =>
        v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj)[key] : undefined,
      value,
    );
const list = (value: Yaml | undefined): Obj[] => (Array.isArray(value) ? (value as Obj[]) : []);

function checkPod(where: string, pod: Yaml | undefined, problems: string[]): void {
  const spec = pod as Obj;
  const podSecurity = get(spec, 'securityContext');
  if (get(podSecurity, 'runAsNonRoot') !== true)
    problems.push(`${where}: pod securityContext.runAsNonRoot must be true`);
  const tmp = list(get(spec, 'volumes')).find((v) => v.name === 'tmp');
  if (!tmp || get(tmp, 'emptyDir') === undefined)
    problems.push(`${where}: needs an emptyDir volume "tmp"`);
  const containers = [
    ...list(get(spec, 'initContainers')).map((c) => ({ c, init: true })),
    ...list(get(spec, 'containers')).map((c) => ({ c, init: false })),
  ];
  for (const { c, init } of containers) {
    const at = `${where} container ${String(c.name)}`;
    const s = get(c, 'securityContext');
    if (get(s, 'allowPrivilegeEscalation') !== false)
      problems.push(`${at}: allowPrivilegeEscalation must be false`);
    if (get(s, 'readOnlyRootFilesystem') !== true)
      problems.push(`${at}: readOnlyRootFilesystem must be true`);
    const drop = get(s, 'capabilities.drop');
    if (!Array.isArray(drop) || !drop.includes('ALL'))
      problems.push(`${at}: capabilities must drop ALL`);
    for (const field of [
      'resources.requests.cpu',
      'resources.requests.memory',
      'resources.limits.memory',
    ])
      if (get(c, field) === undefined) problems.push(`${at}: ${field} missing`);
    if (!list(get(c, 'volumeMounts')).some((m) => m.name === 'tmp' && m.mountPath === '/tmp'))
      problems.push(`${at}: must mount "tmp" at /tmp`);
    if (!/^meter-gateway:[\w.-]+$/.test(String(get(c, 'image'))))
      problems.push(`${at}: image must be meter-gateway:<tag>, not ${String(get(c, 'image'))}`);
    if (!init && where.startsWith('Deployment'))
      for (const [probe, path] of [
        ['livenessProbe', '/health/live'],
        ['readinessProbe', '/health/ready'],
      ])
        if (get(c, `${probe}.httpGet.path`) !== path)
          problems.push(`${at}: ${probe} must GET ${path}`);
  }
}

/** "secret/key" of every `secretKeyRef` anywhere in `value`. */
function secretKeyRefs(value: Yaml | undefined): string[] {
  if (value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap(secretKeyRefs);
  const ref = value.secretKeyRef as Obj | undefined;
  const own = ref ? [`${String(ref.name)}/${String(ref.key)}`] : [];
  return [...own, ...Object.values(value).flatMap(secretKeyRefs)];
}

/** The Secret key (`secret/key`) a container's `name` variable is read from, if any. */
function envSecret(container: Obj, name: string): string | undefined {
  const variable = list(get(container, 'env')).find((e) => e.name === name);
  const ref = get(variable, 'valueFrom.secretKeyRef') as Obj | undefined;
  return ref ? `${String(ref.name)}/${String(ref.key)}` : undefined;
}

/**
 * Management endpoints: every ServiceMonitor endpoint scrapes with a bearer token from a Secret,
 * and every app reads MANAGEMENT_TOKEN from that same key, so /metrics is never open in a cluster
 * and the scraper always holds the token the apps ask for.
 */
function checkManagementToken(objects: Manifest[], options: CheckOptions, problems: string[]) {
  const scraperKeys = new Set<string>();
  for (const monitor of objects.filter((o) => o.kind === 'ServiceMonitor'))
    for (const endpoint of list(get(monitor, 'spec.endpoints'))) {
      const where = `ServiceMonitor ${String(get(monitor, 'metadata.name'))} endpoint ${String(endpoint.path)}`;
      const credentials = get(endpoint, 'authorization.credentials') as Obj | undefined;
      const type = get(endpoint, 'authorization.type') ?? 'Bearer';
      if (!credentials || type !== 'Bearer') {
        problems.push(`${where}: needs a bearer token from a Secret (authorization.credentials)`);
        continue;
      }
      const key = `${String(credentials.name)}/${String(credentials.key)}`;
      scraperKeys.add(key);
      if (!options.documentedSecretKeys.has(key))
        problems.push(`${where}: Secret key ${key} is not listed in docs/operations.md`);
    }
  for (const deployment of objects.filter((o) => o.kind === 'Deployment'))
    for (const c of list(get(deployment, 'spec.template.spec.containers'))) {
      const at = `Deployment ${String(get(deployment, 'metadata.name'))} container ${String(c.name)}`;
      const key = envSecret(c, 'MANAGEMENT_TOKEN');
      if (!key) problems.push(`${at}: MANAGEMENT_TOKEN must come from a Secret`);
      else if (scraperKeys.size > 0 && !scraperKeys.has(key))
        problems.push(`${at}: MANAGEMENT_TOKEN from ${key}, not the ServiceMonitor's token`);
    }
}

/** Every problem found in one overlay's objects; none means it passes. */
export function checkManifests(objects: Manifest[], options: CheckOptions): string[] {
  const problems: string[] = [];
  const byKind = (kind: string) => objects.filter((o) => o.kind === kind);
  for (const o of objects) {
    const type = `${String(o.apiVersion)}/${String(o.kind)}`;
    const where = `${String(o.kind)} ${String(get(o, 'metadata.name'))}`;
    const required = KNOWN[type];
    if (!required) {
      problems.push(`${where}: unknown apiVersion/kind ${type}`);
      continue;
    }
    if (!get(o, 'metadata.name')) problems.push(`${type}: metadata.name missing`);
    if (!get(o, 'metadata.namespace')) problems.push(`${where}: metadata.namespace missing`);
    for (const field of required)
      if (get(o, field) === undefined) problems.push(`${where}: ${field} missing`);
    if (o.kind === 'Deployment' || o.kind === 'Job')
      checkPod(where, get(o, 'spec.template.spec'), problems);
    for (const ref of secretKeyRefs(o))
      if (!options.documentedSecretKeys.has(ref))
        problems.push(`${where}: Secret key ${ref} is not listed in docs/operations.md`);
  }
  checkManagementToken(objects, options, problems);
  const deployments = new Set(byKind('Deployment').map((d) => String(get(d, 'metadata.name'))));
  for (const hpa of byKind('HorizontalPodAutoscaler')) {
    const target = String(get(hpa, 'spec.scaleTargetRef.name'));
    if (!deployments.has(target)) problems.push(`HPA ${target}: no Deployment of that name`);
    const max = Number(get(hpa, 'spec.maxReplicas'));
    if (target === 'reading-processor' && max > SUBMISSION_PARTITIONS)
      problems.push(
        `HPA reading-processor: maxReplicas ${max} above the ${SUBMISSION_PARTITIONS} partitions`,
      );
    if (Number(get(hpa, 'spec.minReplicas')) > max)
      problems.push(`HPA ${target}: minReplicas above maxReplicas`);
  }
  for (const name of [
    'reading-processor',
    'kiosk-gateway',
    'terminal-gateway',
    'cabinet-api',
    'slip-ingest',
  ])
    if (!byKind('HorizontalPodAutoscaler').some((h) => get(h, 'spec.scaleTargetRef.name') === name))
      problems.push(`${name}: no HorizontalPodAutoscaler`);
  const budgeted = byKind('PodDisruptionBudget').map(
    (p) => (get(p, 'spec.selector.matchLabels') as Obj | undefined)?.['app.kubernetes.io/name'],
  );
  for (const name of deployments)
    if (!budgeted.includes(name)) problems.push(`${name}: no PodDisruptionBudget`);
  for (const ingress of byKind('Ingress'))
    for (const rule of list(get(ingress, 'spec.rules'))) {
      const hosts = list(get(ingress, 'spec.tls')).flatMap((t) => (t.hosts as string[]) ?? []);
      if (!hosts.includes(String(rule.host)))
        problems.push(
          `Ingress ${String(get(ingress, 'metadata.name'))}: host ${String(rule.host)} has no TLS`,
        );
    }
  const alerts = byKind('PrometheusRule').flatMap((r) =>
    list(get(r, 'spec.groups')).flatMap((g) => list(g.rules).map((rule) => String(rule.alert))),
  );
  for (const alert of options.requiredAlerts)
    if (!alerts.includes(alert)) problems.push(`PrometheusRule: alert ${alert} missing`);
  return problems;
}

/** "secret/key" for every `secret` and `KEY` named in backticks on one line of the guide's Kubernetes section. */
export function documentedSecretKeys(guide: string): Set<string> {
  const section = guide.split(/^## Kubernetes$/m)[1]?.split(/^## /m)[0] ?? '';
  const keys = new Set<string>();
  for (const line of section.split('\n')) {
    const names = [...line.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    const secret = names.find((n) => /^[a-z0-9-]+-secrets?$/.test(n));
    if (secret) for (const n of names) if (/^[A-Z][A-Z0-9_]+$/.test(n)) keys.add(`${secret}/${n}`);
  }
  return keys;
}
