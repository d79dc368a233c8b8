export { isCloudRunService, readCloudRunYaml } from './cloud-run-yaml.ts';
export { CLOUD_BUILD_BUILTINS, cloudBuildFormat, readCloudBuild } from './cloudbuild.ts';
export type { ManifestErrorCode } from './errors.ts';
export { ManifestError } from './errors.ts';
export { parseSecretSpec, splitGcloudDict, splitGcloudList } from './gcloud-deploy.ts';
export type { GenerateOptions } from './generate.ts';
export { shellWord, toCloudRunYaml, toGcloudCommand } from './generate.ts';
export { githubActionsFormat, readGithubWorkflow } from './github-actions.ts';
export { hclCacheDirectory } from './hcl.ts';
export type {
  Deployment,
  DeployVariable,
  ReadIssue,
  SecretMount,
  SecretVersionRef,
  VariableKind,
} from './model.ts';
export { providedNames, variableOf } from './model.ts';
export type { DeployFormat, ReadDeploymentOptions, ReadOptions } from './registry.ts';
export {
  cloudRunYamlFormat,
  FORMATS,
  gcloudFormat,
  loadDeployment,
  loadDeployments,
  MAX_INPUT_BYTES,
  pickService,
  readDeployment,
  readDeployments,
} from './registry.ts';
export type { MarkdownOptions, ReportedIssue, SarifOptions } from './report.ts';
export { toGithubAnnotations, toMarkdown, toSarif } from './report.ts';
export type { DeployIssue, DeployRule, DeployRuleContext } from './rules.ts';
export {
  checkDeployment,
  cloudSqlMissingRule,
  DEPLOY_RULES,
  manifestMissingRule,
  noVpcEgressRule,
  plaintextSecretRule,
  readIssuesRule,
  reservedVariableRule,
  sharedSecretRule,
  unpinnedVersionRule,
  unresolvedValueRule,
} from './rules.ts';
export type { ShellReadOptions, ShellVariable } from './shell.ts';
export { readShellScript } from './shell.ts';
export type { TerraformFile } from './terraform.ts';
export {
  readTerraform,
  readTerraformShowJson,
  terraformFormat,
  terraformShowJsonFormat,
} from './terraform.ts';
