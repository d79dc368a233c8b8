import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Deployment } from './model.ts';
import { loadDeployment } from './registry.ts';

const examples = join(import.meta.dirname, '../../../examples/staging');

/** What the revision gets, without where the input says it. */
function revision(deployment: Deployment) {
  return {
    variables: Object.fromEntries(
      deployment.variables.map((variable) => [
        variable.name,
        variable.kind === 'literal'
          ? variable.value
          : `${variable.kind}:${variable.secret?.name}:${variable.secret?.version}`,
      ]),
    ),
    mounts: deployment.mounts.map((mount) => [mount.path, mount.secret.name, mount.secret.version]),
    cloudSqlInstances: deployment.cloudSqlInstances,
    vpcEgress: deployment.vpcEgress,
  };
}

describe('the staging deployment in every form reads to the same revision', () => {
  test.each(['cloudbuild.yaml', 'github-workflow.yml'])('%s gives what deploy.sh gives', async (form) => {
    const script = await loadDeployment('deploy.sh', { cwd: examples });
    const deployment = await loadDeployment(form, { cwd: examples });
    expect(deployment.format).toBe(form === 'cloudbuild.yaml' ? 'cloudbuild' : 'github-actions');
    expect(revision(deployment)).toEqual(revision(script));
    expect(deployment.issues).toEqual([]);
  });

  test.each(['terraform', 'terraform/', 'terraform-show.json'])(
    '%s gives what service.yaml gives',
    async (form) => {
      const yaml = await loadDeployment('service.yaml', { cwd: examples });
      const deployment = await loadDeployment(form, { cwd: examples });
      expect(deployment).toMatchObject({
        format: form.endsWith('.json') ? 'terraform-show-json' : 'terraform',
        service: yaml.service,
        project: yaml.project,
        region: yaml.region,
      });
      expect(revision(deployment)).toEqual(revision(yaml));
      expect(deployment.issues).toEqual([]);
    },
  );
});
