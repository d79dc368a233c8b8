import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadDeployment, readDeployment } from './registry.ts';
import { readTerraform, readTerraformShowJson } from './terraform.ts';

let root: string;
let cache: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'netra-terraform-'));
  cache = join(root, 'cache');
  // A cache of our own: the parser runs in these tests, and the cache is seen to fill.
  process.env.NETRA_DEPLOY_MANIFEST_CACHE = cache;
});
afterAll(() => {
  delete process.env.NETRA_DEPLOY_MANIFEST_CACHE;
  rmSync(root, { recursive: true, force: true });
});

const V2 = `locals {
  settings = {
    LOG_LEVEL = "info"
    API_URL   = "https://\${var.domain}/api"
  }
}

variable "domain" {
  default = "api.example"
}

variable "db_host" {}

variable "extra" {
  type = map(string)
  default = {
    FEATURE_X = "on"
  }
}

resource "google_secret_manager_secret" "jwt" {
  project   = "p"
  secret_id = "jwt-secret"
}

resource "google_cloud_run_v2_service" "api" {
  name     = "api"
  location = "europe-west1"
  project  = "p"
  template {
    containers {
      image = "gcr.io/p/api:1"
      env {
        name  = "DATABASE_HOST"
        value = var.db_host
      }
      dynamic "env" {
        for_each = local.settings
        content {
          name  = env.key
          value = env.value
        }
      }
      dynamic "env" {
        for_each = var.extra
        content {
          name  = env.key
          value = env.value
        }
      }
      env {
        name = "JWT_SECRET"
        value_source {
          secret_key_ref {
            secret  = google_secret_manager_secret.jwt.id
            version = "3"
          }
        }
      }
    }
    volumes {
      name = "cloudsql"
      cloud_sql_instance {
        instances = ["p:europe-west1:db"]
      }
    }
    vpc_access {
      network_interfaces {
        network = "default"
      }
      egress = "PRIVATE_RANGES_ONLY"
    }
  }
}
`;

describe('terraform', () => {
  test('google_cloud_run_v2_service: env, dynamic env over a local and a variable map, secret references, Cloud SQL, VPC', async () => {
    const deployment = await readDeployment(V2, { file: 'main.tf' });
    expect(deployment).toMatchObject({
      format: 'terraform',
      service: 'api',
      project: 'p',
      region: 'europe-west1',
      line: 26,
      cloudSqlInstances: ['p:europe-west1:db'],
      vpcEgress: true,
      vpcEgressSetting: 'private-ranges-only',
      update: 'replace',
    });
    expect(deployment.variables).toEqual([
      { name: 'DATABASE_HOST', kind: 'unknown', expression: 'var.db_host', file: 'main.tf', line: 34 },
      {
        name: 'JWT_SECRET',
        kind: 'secret',
        secret: { project: 'p', name: 'jwt-secret', version: '3' },
        file: 'main.tf',
        line: 52,
      },
      {
        name: 'API_URL',
        kind: 'unknown',
        expression: 'https://${var.domain}/api',
        default: 'https://api.example/api',
        file: 'main.tf',
        line: 4,
      },
      { name: 'LOG_LEVEL', kind: 'literal', value: 'info', file: 'main.tf', line: 3 },
      {
        name: 'FEATURE_X',
        kind: 'unknown',
        expression: 'var.extra["FEATURE_X"]',
        default: 'on',
        file: 'main.tf',
        line: 17,
      },
    ]);
    // The parse result is cached by content: the next read does not start the parser.
    expect(readdirSync(cache).filter((name) => name.endsWith('.json'))).not.toHaveLength(0);
  });

  test('google_cloud_run_service (v1): value_from.secret_key_ref, secret volumes, annotations', async () => {
    const [deployment] = await readTerraform([
      {
        file: 'v1.tf',
        text: `resource "google_cloud_run_service" "web" {
  name     = "web"
  location = "us-central1"
  template {
    metadata {
      annotations = {
        "run.googleapis.com/cloudsql-instances"  = "p:us-central1:db"
        "run.googleapis.com/vpc-access-connector" = "conn"
      }
    }
    spec {
      containers {
        image = "gcr.io/p/web"
        env {
          name = "DB_PASSWORD"
          value_from {
            secret_key_ref {
              name = "db-password"
              key  = "latest"
            }
          }
        }
        env {
          name  = "KEY_FILE"
          value = "/secrets/key"
        }
        volume_mounts {
          name       = "key"
          mount_path = "/secrets"
        }
      }
      volumes {
        name = "key"
        secret {
          secret_name = "signing-key"
          items {
            key  = "2"
            path = "key"
          }
        }
      }
    }
  }
}
`,
      },
    ]);
    expect(deployment).toMatchObject({
      service: 'web',
      cloudSqlInstances: ['p:us-central1:db'],
      vpcEgress: true,
    });
    expect(deployment!.variables).toEqual([
      {
        name: 'DB_PASSWORD',
        kind: 'secret',
        secret: { name: 'db-password', version: 'latest' },
        file: 'v1.tf',
        line: 15,
      },
      {
        name: 'KEY_FILE',
        kind: 'file',
        value: '/secrets/key',
        secret: { name: 'signing-key', version: '2' },
        file: 'v1.tf',
        line: 24,
      },
    ]);
  });

  test('a folder is one module: a secret defined in another file resolves; --service picks', async () => {
    const folder = join(root, 'infra');
    mkdirSync(folder);
    writeFileSync(
      join(folder, 'secrets.tf'),
      'resource "google_secret_manager_secret" "k" {\n  secret_id = "api-key"\n}\n',
    );
    writeFileSync(
      join(folder, 'run.tf'),
      `resource "google_cloud_run_v2_service" "a" {
  name = "a"
  template {
    containers {
      env {
        name = "API_KEY"
        value_source {
          secret_key_ref {
            secret  = google_secret_manager_secret.k.secret_id
            version = "1"
          }
        }
      }
    }
  }
}
resource "google_cloud_run_v2_service" "b" {
  name = "b"
  template {
    containers {
      image = "x"
    }
  }
}
`,
    );
    writeFileSync(join(folder, 'README.md'), 'not read');
    await expect(loadDeployment('infra', { cwd: root })).rejects.toMatchObject({
      code: 'several-services',
      services: ['a', 'b'],
    });
    const deployment = await loadDeployment('infra/', { cwd: root, service: 'a' });
    expect(deployment.variables).toEqual([
      {
        name: 'API_KEY',
        kind: 'secret',
        secret: { name: 'api-key', version: '1' },
        file: join('infra/', 'run.tf'),
        line: 6,
      },
    ]);
  });

  test.each([
    [
      'HCL that does not parse',
      'broken.tf',
      'resource "google_cloud_run_v2_service" "a" {\n  name = \n}\n',
      /^broken\.tf:2: HCL does not parse: Invalid expression/,
    ],
    [
      'no Cloud Run resource',
      'other.tf',
      'resource "google_storage_bucket" "b" {\n  name = "b"\n}\n',
      /^other\.tf: no google_cloud_run_v2_service or google_cloud_run_service resource in other\.tf/,
    ],
  ])('%s: exit 2 naming the file (and line)', async (_, file, text, message) => {
    await expect(readDeployment(text, { file })).rejects.toThrow(message);
  });

  test('a folder without .tf files is refused, naming it', async () => {
    mkdirSync(join(root, 'empty'));
    await expect(loadDeployment('empty', { cwd: root })).rejects.toThrow(
      /^empty: a folder with no deploy input a reader takes as a folder/,
    );
  });

  test('terraform show -json: values are final; lines are found in the JSON', () => {
    const text = JSON.stringify(
      {
        format_version: '1.0',
        values: {
          root_module: {
            resources: [
              {
                address: 'google_cloud_run_v2_service.api',
                mode: 'managed',
                type: 'google_cloud_run_v2_service',
                name: 'api',
                values: {
                  name: 'api',
                  location: 'us-central1',
                  template: [
                    {
                      containers: [
                        {
                          env: [
                            { name: 'A', value: '${not-a-reference}', value_source: [] },
                            {
                              name: 'S',
                              value: '',
                              value_source: [
                                { secret_key_ref: [{ secret: 'projects/p/secrets/s', version: '2' }] },
                              ],
                            },
                          ],
                        },
                      ],
                      vpc_access: [],
                    },
                  ],
                },
              },
            ],
          },
        },
      },
      null,
      2,
    );
    const [deployment] = readTerraformShowJson(text, { file: 'state.json' });
    expect(deployment!.variables).toEqual([
      { name: 'A', kind: 'literal', value: '${not-a-reference}', file: 'state.json', line: 20 },
      {
        name: 'S',
        kind: 'secret',
        secret: { project: 'p', name: 's', version: '2' },
        file: 'state.json',
        line: 25,
      },
    ]);
    expect(deployment!.vpcEgress).toBe(false);
  });
});
