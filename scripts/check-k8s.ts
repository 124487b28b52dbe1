import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkManifests, documentedSecretKeys, parseManifests } from './k8s-manifests';

/**
 * `npm run check:k8s`: renders every overlay with `kubectl kustomize` (offline, no cluster) and
 * checks each object's structure; exits 1 naming every problem.
 */
const root = join(__dirname, '..');
const OVERLAYS = ['deploy/k8s/overlays/staging', 'deploy/k8s/overlays/production'];
const REQUIRED_ALERTS = [
  'ConsumerLagHigh',
  'PartitionStalled',
  'ProcessorDeadLetters',
  'OutboxBacklog',
  'Http5xxRateHigh',
  'EdgeLatencyP99High',
];

const documented = documentedSecretKeys(readFileSync(join(root, 'docs/operations.md'), 'utf8'));
let failed = false;
for (const overlay of OVERLAYS) {
  let rendered: string;
  try {
    rendered = execFileSync('kubectl', ['kustomize', join(root, overlay)], { encoding: 'utf8' });
  } catch (error) {
    // kubectl's own message (a bad patch, a missing file) is already on stderr.
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    process.stderr.write(
      missing
        ? 'kubectl (1.32 or later, with kustomize) is not on the PATH\n'
        : `${overlay}: kubectl kustomize failed\n`,
    );
    process.exit(1);
  }
  const objects = parseManifests(rendered);
  const problems = checkManifests(objects, {
    documentedSecretKeys: documented,
    requiredAlerts: REQUIRED_ALERTS,
  });
  for (const problem of problems) process.stderr.write(`${overlay}: ${problem}\n`);
  process.stdout.write(`${overlay}: ${objects.length} objects, ${problems.length} problems\n`);
  failed ||= problems.length > 0;
}
process.exit(failed ? 1 : 0);
