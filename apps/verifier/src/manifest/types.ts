/**
 * The one model both manifest forms (Cloud Run service YAML and a script's `gcloud run deploy` command) are
 * parsed into: what the deployed service's environment will contain, and the deploy settings the checks need.
 */

/** A Secret Manager secret a deployment binds: `projects/PROJECT/secrets/SECRET/versions/VERSION`. */
export interface ManifestSecretRef {
  /** Set only when the manifest names the project (`projects/P/secrets/S:V`); otherwise the service's project. */
  project?: string;
  /** Secret id, e.g. `jwt-secret-staging`. */
  secret: string;
  /** Version: a number or `latest`. */
  version: string;
}

/** Which of the two forms a manifest was written in. */
export type ManifestKind = 'cloud-run-yaml' | 'gcloud-deploy';

/** What a manifest provides to the service's environment. */
export interface ProvidedVariables {
  kind: ManifestKind;
  /** The manifest file as the user named it. */
  file: string;
  /** 1-based line of the `gcloud run deploy` command (scripts only). */
  line?: number;
  /** Service name (`metadata.name`, or the deploy command's SERVICE argument), when given. */
  service?: string;
  /** Project the deploy targets (`--project`, or the YAML's namespace when it is a project id), when given. */
  project?: string;
  /** Environment variables with literal values, by name. */
  literals: Map<string, string>;
  /** Environment variables bound to a secret (`valueFrom.secretKeyRef`, `--set-secrets ENV=SECRET:VERSION`). */
  secrets: Map<string, ManifestSecretRef>;
  /** Secret files: absolute path of the mounted file → the secret it holds (secret volumes, `/path=SECRET:V`). */
  files: Map<string, ManifestSecretRef>;
  /** Cloud SQL instance connection names the service attaches (`PROJECT:REGION:INSTANCE`). */
  cloudsqlInstances: string[];
  /**
   * Whether the service can reach private addresses: a Serverless VPC Access connector or Direct VPC egress
   * (`--network`/`network-interfaces`). `'unknown'` when the manifest leaves it to the existing service.
   */
  vpcEgress: boolean | 'unknown';
  /** `all-traffic` or `private-ranges-only`, when the manifest says. */
  vpcEgressSetting?: string;
  /**
   * Revision annotations (`run.googleapis.com/cloudsql-instances`, the VPC ones) found on the service's
   * `metadata.annotations` instead of `spec.template.metadata.annotations`: Cloud Run does not apply them there.
   */
  misplacedAnnotations?: string[];
  /**
   * `--env-vars-file` values that are not YAML strings (`5432`, `true`, nothing): gcloud refuses the file
   * ("Environment variable values must be strings"). By variable: the file and what the value is.
   */
  nonStringValues?: Map<string, { file: string; type: 'number' | 'boolean' | 'null' }>;
}

/** Creates an empty {@link ProvidedVariables} for `file`. */
export function emptyProvidedVariables(kind: ManifestKind, file: string): ProvidedVariables {
  return {
    kind,
    file,
    literals: new Map(),
    secrets: new Map(),
    files: new Map(),
    cloudsqlInstances: [],
    vpcEgress: false,
  };
}

/**
 * The variable names a manifest provides in any way: literals, secret bindings, and `NAME` for every `NAME_FILE`
 * literal pointing at a mounted secret file (the loader's file source reads it as `NAME`).
 */
export function providedNames(manifest: ProvidedVariables): Set<string> {
  const names = new Set<string>([...manifest.literals.keys(), ...manifest.secrets.keys()]);
  for (const [name, path] of manifest.literals) {
    if (name.endsWith('_FILE') && manifest.files.has(path)) names.add(name.slice(0, -'_FILE'.length));
  }
  return names;
}
