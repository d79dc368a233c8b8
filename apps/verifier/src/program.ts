/**
 * The `netra-verify` command line: parses it with cac and dispatches to `src/commands/<name>.ts`. Each command
 * module is imported only when its command runs, so `check` never loads the Secret Manager client unless it needs
 * it. Exit codes: 0 no errors, 1 errors found, 2 usage or I/O error; never a stack trace. `src/cli.ts` is the bin.
 */
import { type CAC, cac } from 'cac';
import packageJson from '../package.json' with { type: 'json' };
import { restoreTypedValues } from './argv';
import { EXIT_USAGE, UsageError } from './errors';
import { processIo } from './io';
import type { RawOptions } from './options';

const io = processIo();

/**
 * The shared context of a command that reads a schema (`--schema`, else the nearest netra.config); loaded after
 * the command's own options parse, so a usage error needs no schema.
 */
async function commandContext(options: RawOptions) {
  const { loadCommandContext, schemaOptionOf } = await import('./context');
  return loadCommandContext(schemaOptionOf(options), io);
}

/**
 * The context and the options with netra.config's project of the environment as the default of an optional
 * `--project` (the flag wins; `--no-secret-manager` keeps the command off Secret Manager).
 */
async function withProjectDefault<T extends { environment: string; project?: string | undefined }>(
  parsed: T,
  options: RawOptions,
) {
  const { withConfigProject } = await import('./context');
  const context = await commandContext(options);
  return { context, options: withConfigProject(parsed, options, context) };
}

const NO_SECRET_MANAGER = [
  '--no-secret-manager',
  "Do not read Secret Manager, even where netra.config's projects name the environment's project",
] as const;

/**
 * Each command registers itself on a cac instance. `main` registers only the command the command line names: the
 * options of every command, and cac matching the command line against each, cost ≈ 3 ms of a 110 ms `check`.
 * A global `--help`, `--version` or an unknown word registers them all.
 */
const registrations: Record<string, (cli: CAC) => void> = {
  check: (cli) => {
    cli
      .command('check', 'Run the runtime validation before deploy: env files, a manifest and Secret Manager')
      .option(
        '--schema <spec>',
        'Schema: PATH[#EXPORT] or PACKAGE[#EXPORT] (default: the nearest netra.config)',
      )
      .option('--env <environment>', 'Environment to check: development, test, staging or production')
      .option('--env-file <file>', 'Env file in dotenv syntax; repeat to merge (later files win)', {
        type: [String],
      })
      .option(
        '--manifest <file>',
        'Deploy input: service YAML, gcloud script, cloudbuild.yaml, workflow, .tf file or folder, terraform show -json',
      )
      .option(
        '--project <project>',
        "Read bound secrets and sm:// references from Secret Manager in this project (default: netra.config's projects[ENV])",
      )
      .option(...NO_SECRET_MANAGER)
      .option(
        '--service <name>',
        "The service to check when the manifest deploys several (default: netra.config's service)",
      )
      .option(
        '--format <format>',
        'text (default), json, sarif (code scanning), github (annotations) or markdown',
      )
      .option(
        '--json',
        'Print one JSON object { ok, environment, issues } instead of the report (= --format json)',
      )
      .example(
        '  $ netra-verify check --env staging --env-file .env.staging --manifest deploy.sh --project my-proj',
      )
      .action(async (options: RawOptions) => {
        const { runCheck, parseCheckOptions } = await import('./commands/check');
        const { context, options: parsed } = await withProjectDefault(parseCheckOptions(options), options);
        return runCheck(parsed, io, context);
      });
  },
  'secrets audit': (cli) => {
    cli
      .command(
        'secrets audit',
        'Check every Secret Manager secret the schema binds: exists, enabled, valid, readable',
      )
      .option(
        '--schema <spec>',
        'Schema: PATH[#EXPORT] or PACKAGE[#EXPORT] (default: the nearest netra.config)',
      )
      .option('--env <environment>', 'Environment whose bindings to audit: staging or production')
      .option(
        '--project <project>',
        "Google Cloud project that holds the secrets (default: netra.config's projects[ENV])",
      )
      .option(
        '--location <location>',
        'The secrets are regional secrets of this location (projects/P/locations/L/secrets/S)',
      )
      .option('--service-account <email>', 'The runtime service account whose read access is checked')
      .option('--json', 'Print one JSON object { ok, environment, project, secrets, issues }')
      .example(
        '  $ netra-verify secrets audit --env staging --project my-proj --service-account run@my-proj.iam.gserviceaccount.com',
      )
      .action(async (options: RawOptions) => {
        const { runSecretsAudit, parseSecretsAuditOptions } = await import('./commands/secrets');
        const parsed = parseSecretsAuditOptions(options);
        return runSecretsAudit(parsed, io, await commandContext(options));
      });
  },
  'secrets push': (cli) => {
    cli
      .command(
        'secrets push',
        'Create missing secrets and versions from a local file (a plan unless --apply)',
      )
      .option(
        '--schema <spec>',
        'Schema: PATH[#EXPORT] or PACKAGE[#EXPORT] (default: the nearest netra.config)',
      )
      .option('--env <environment>', 'Environment whose bindings to fill: staging or production')
      .option(
        '--project <project>',
        "Google Cloud project that holds the secrets (default: netra.config's projects[ENV])",
      )
      .option(
        '--location <location>',
        'Create and fill regional secrets of this location (projects/P/locations/L/secrets/S)',
      )
      .option('--from-file <file>', 'dotenv file of VARIABLE=value, names as the environment reads them')
      .option('--apply', 'Make the changes (without it, only the plan is printed)')
      .option('--json', 'Print one JSON object { ok, applied, actions, issues }')
      .example(
        '  $ netra-verify secrets push --env staging --project my-proj --from-file secrets.staging.env --apply',
      )
      .action(async (options: RawOptions) => {
        const { runSecretsPush, parseSecretsPushOptions } = await import('./commands/secrets');
        const parsed = parseSecretsPushOptions(options);
        return runSecretsPush(parsed, io, await commandContext(options));
      });
  },
  'manifest read': (cli) => {
    cli
      .command(
        'manifest read <manifest>',
        'What a deploy input gives the revision, variable by variable (no schema needed)',
      )
      .option('--service <name>', 'The service to read when the input deploys several')
      .option('--json', 'Print one JSON object { ok, format, file, service, variables, issues }')
      .example('  $ netra-verify manifest read examples/staging/terraform/')
      .action(async (manifest: unknown, options: RawOptions) => {
        const { runManifestRead, parseManifestReadOptions } = await import('./commands/manifest-read');
        return runManifestRead(parseManifestReadOptions(manifest, options), io);
      });
  },
  'manifest generate': (cli) => {
    cli
      .command(
        'manifest generate',
        'Write the Cloud Run service YAML (or one gcloud run deploy command) the schema implies',
      )
      .option(
        '--schema <spec>',
        'Schema: PATH[#EXPORT] or PACKAGE[#EXPORT] (default: the nearest netra.config)',
      )
      .option('--env <environment>', 'Environment to deploy: staging or production')
      .option(
        '--project <project>',
        "Google Cloud project of the service and its secrets (default: netra.config's projects[ENV])",
      )
      .option('--service <name>', "Cloud Run service name (default: netra.config's service)")
      .option('--image <image>', 'Container image')
      .option('--region <region>', 'Cloud Run region')
      .option('--service-account <email>', 'Runtime service account')
      .option('--env-file <file>', 'Literal values in dotenv syntax; repeat to merge (later files win)', {
        type: [String],
      })
      .option('--format <format>', 'yaml (gcloud run services replace) or gcloud (gcloud run deploy)', {
        default: 'yaml',
      })
      .option(
        '--vpc-connector <name>',
        'Serverless VPC Access connector, for private database or Redis hosts',
      )
      .option('--network <network>', 'Direct VPC egress network (instead of a connector)')
      .option('--subnet <subnet>', 'Direct VPC egress subnet')
      .option('--vpc-egress <setting>', 'private-ranges-only (default) or all-traffic')
      .option('--out <file>', 'Write the manifest to this file instead of stdout')
      .option('--json', 'Print one JSON object { ok, manifest, issues }')
      .example(
        '  $ netra-verify manifest generate --env staging --project my-proj --service netra-backend-staging --image us-docker.pkg.dev/my-proj/netra/backend:1.4.2 --region us-central1 --env-file .env.staging > service.yaml',
      )
      .action(async (options: RawOptions) => {
        const { runManifestGenerate, parseManifestGenerateOptions } = await import(
          './commands/manifest-generate'
        );
        const parsed = parseManifestGenerateOptions(options);
        return runManifestGenerate(parsed, io, await commandContext(options));
      });
  },
  probe: (cli) => {
    cli
      .command(
        'probe',
        'Connect to the configured PostgreSQL and Redis with the configured credentials and TLS',
      )
      .option(
        '--schema <spec>',
        'Schema: PATH[#EXPORT] or PACKAGE[#EXPORT] (default: the nearest netra.config)',
      )
      .option('--env <environment>', 'Environment whose configuration to probe')
      .option('--env-file <file>', 'Env file in dotenv syntax; repeat to merge (later files win)', {
        type: [String],
      })
      .option(
        '--project <project>',
        "Read the passwords bound to Secret Manager from this project (default: netra.config's projects[ENV])",
      )
      .option(...NO_SECRET_MANAGER)
      .option(
        '--timeout <ms>',
        'Per connection: connect, TLS, authentication and a round trip (default 5000)',
      )
      .option('--json', 'Print one JSON object { ok, environment, probes, issues }')
      .example('  $ netra-verify probe --env development --env-file .env --timeout 3000')
      .action(async (options: RawOptions) => {
        const { runProbe, parseProbeOptions } = await import('./commands/probe');
        const { context, options: parsed } = await withProjectDefault(parseProbeOptions(options), options);
        return runProbe(parsed, io, context);
      });
  },
  parity: (cli) => {
    cli
      .command('parity', 'Staging parity: two environments provide the same variables the same way')
      .option(
        '--schema <spec>',
        'Schema: PATH[#EXPORT] or PACKAGE[#EXPORT] (default: the nearest netra.config)',
      )
      .option('--env <environment>', 'An environment to compare; give it twice', { type: [String] })
      .option(
        '--manifest <[env=]file>',
        'A deploy input of one environment, any form (ENV= prefix, its ENVIRONMENT, or the order of --env)',
        {
          type: [String],
        },
      )
      .option(
        '--service <name>',
        'The service to compare in a manifest that deploys several; repeat for each such manifest',
        { type: [String] },
      )
      .option('--env-file <file>', 'An env file of one environment, matched by the ENVIRONMENT it sets', {
        type: [String],
      })
      .option('--json', 'Print one JSON object { ok, environments, variables, issues }')
      .example(
        '  $ netra-verify parity --env staging --env production --manifest deploy/staging.yaml --manifest deploy/production.yaml',
      )
      .action(async (options: RawOptions) => {
        const { runParity, parseParityOptions } = await import('./commands/parity');
        const parsed = parseParityOptions(options);
        return runParity(parsed, io, await commandContext(options));
      });
  },
  docs: (cli) => {
    cli
      .command(
        'docs',
        'Write the configuration reference (docs/config) from the schema, or check it is current',
      )
      .option(
        '--schema <spec>',
        'Schema: PATH[#EXPORT] or PACKAGE[#EXPORT] (default: the nearest netra.config)',
      )
      .option('--out <dir>', 'Directory of the pages (default: docs/config under the repository root)')
      .option('--check', 'Write nothing; exit 1 naming every stale, missing or extra page')
      .option('--json', 'Print one JSON object')
      .example('  $ netra-verify docs --check')
      .action(async (options: RawOptions) => {
        const { runDocs, parseDocsOptions } = await import('./commands/docs');
        const parsed = parseDocsOptions(options);
        return runDocs(parsed, io, await commandContext(options));
      });
  },
  'ids parse': (cli) => {
    cli
      .command('ids parse <id>', 'Parse a run ID: thread, timestamp, suffix (exit 1 when it is not a run ID)')
      .option('--json', 'Print one JSON object')
      .example('  $ netra-verify ids parse run_thread-42_1717171717171_0a1b2c3d')
      .action(async (id: unknown, options: RawOptions) => {
        const { runIdsParse, parseIdsParseOptions } = await import('./commands/ids');
        return runIdsParse(parseIdsParseOptions(id, options), io);
      });
  },
  'ids generate': (cli) => {
    cli
      .command('ids generate', 'Generate run IDs for a thread (a new thread without --thread)')
      .option('--thread <id>', 'Thread ID')
      .option('--count <n>', 'How many run IDs (default 1)')
      .option('--json', 'Print one JSON object { threadId, runIds }')
      .example('  $ netra-verify ids generate --thread thread-42')
      .action(async (options: RawOptions) => {
        const { runIdsGenerate, parseIdsGenerateOptions } = await import('./commands/ids');
        return runIdsGenerate(parseIdsGenerateOptions(options), io);
      });
  },
  run: (cli) => {
    cli
      .command(
        'run [...command]',
        'Start a command (any language) only with a valid configuration, secrets resolved',
      )
      .option(
        '--schema <spec>',
        'Schema: PATH[#EXPORT] or PACKAGE[#EXPORT] (default: the nearest netra.config)',
      )
      .option('--env <environment>', 'Environment the command runs in')
      .option(
        '--env-file <file>',
        'Env file in dotenv syntax under the process environment; repeat to merge',
        {
          type: [String],
        },
      )
      .option(
        '--project <project>',
        "Fetch the schema's Secret Manager bindings from this project (default: netra.config's projects[ENV])",
      )
      .option(...NO_SECRET_MANAGER)
      .example('  $ netra-verify run --env staging --project my-proj -- python -m app')
      .action(async (words: unknown[], options: RawOptions) => {
        const { runRun, parseRunOptions } = await import('./commands/run');
        const { context, options: parsed } = await withProjectDefault(
          parseRunOptions(options, words),
          options,
        );
        return runRun(parsed, io, context);
      });
  },
  codegen: (cli) => {
    cli
      .command('codegen [language]', 'Write a loader for another language from the schema (python)')
      .option(
        '--schema <spec>',
        'Schema: PATH[#EXPORT] or PACKAGE[#EXPORT] (default: the nearest netra.config)',
      )
      .option('--out <file>', 'The module to write, e.g. app/netra_config.py')
      .option('--check', 'Write nothing; exit 1 when the file differs from what the schema generates')
      .example('  $ netra-verify codegen python --out app/netra_config.py')
      .action(async (language: unknown, options: RawOptions) => {
        const { runCodegen, parseCodegenOptions } = await import('./commands/codegen');
        const parsed = parseCodegenOptions(language, options);
        return runCodegen(parsed, io, await commandContext(options));
      });
  },
  'oauth redirects': (cli) => {
    cli
      .command('oauth redirects', 'The redirect URIs and JavaScript origins to register for the OAuth client')
      .option(
        '--schema <spec>',
        'Schema: PATH[#EXPORT] or PACKAGE[#EXPORT] (default: the nearest netra.config)',
      )
      .option('--env <environment>', 'Environment of the OAuth client')
      .option('--env-file <file>', 'Env file in dotenv syntax; repeat to merge (later files win)', {
        type: [String],
      })
      .option(
        '--project <project>',
        "Read the client ID bound to Secret Manager from this project (default: netra.config's projects[ENV])",
      )
      .option(...NO_SECRET_MANAGER)
      .option('--callback-path <path>', 'The callback route the service serves (default /auth/callback)')
      .option('--json', 'Print one JSON object { ok, environment, registrations, issues }')
      .example('  $ netra-verify oauth redirects --env staging --env-file .env.staging')
      .action(async (options: RawOptions) => {
        const { runOAuthRedirects, parseOAuthRedirectsOptions } = await import('./commands/oauth');
        const { context, options: parsed } = await withProjectDefault(
          parseOAuthRedirectsOptions(options),
          options,
        );
        return runOAuthRedirects(parsed, io, context);
      });
  },
};

const commandNames = Object.keys(registrations);

function createCli(names: readonly string[]): CAC {
  const cli = cac('netra-verify');
  for (const name of names) registrations[name]!(cli);
  cli.help();
  cli.version(packageJson.version);
  return cli;
}

/**
 * cac matches a command by the first word only; two-word commands (`secrets audit`) are registered under their
 * full name and the first two words of argv are joined when they name one.
 */
function joinSubcommand(args: string[], commandNames: readonly string[]): string[] {
  const [first, second, ...rest] = args;
  if (first === undefined || second === undefined) return args;
  const joined = `${first} ${second}`;
  if (commandNames.includes(joined)) return [joined, ...rest];
  return args;
}

async function unknownCommandMessage(word: string, commandNames: readonly string[]): Promise<string> {
  const groupCommands = commandNames.filter((name) => name.startsWith(`${word} `));
  if (groupCommands.length > 0) {
    return `"${word}" needs a subcommand: ${groupCommands.map((name) => `"${name}"`).join(', ')}`;
  }
  // The project's one did-you-mean; config-schema is loaded only on this error path.
  const { didYouMean } = await import('@netra/config-schema');
  const suggestion = didYouMean(word, commandNames);
  return `unknown command "${word}"${suggestion === undefined ? '' : `; did you mean "${suggestion}"?`}`;
}

/** Runs the command line `argv` (without `node` and the script) and resolves to the exit code; never rejects. */
export async function main(argv: string[]): Promise<number> {
  const args = joinSubcommand(argv, commandNames);
  const named = args[0] !== undefined && commandNames.includes(args[0]);
  const cli = createCli(named ? [args[0]!] : commandNames);
  try {
    cli.parse(['node', 'netra-verify', ...args], { run: false });
    if (cli.options.help === true || cli.options.version === true) return 0;
    if (cli.matchedCommand === undefined) {
      const word = cli.args[0];
      if (word === undefined) {
        io.stderr.write('netra-verify: a command is required. Run "netra-verify --help" for the list.\n');
        return EXIT_USAGE;
      }
      throw new UsageError(await unknownCommandMessage(String(word), commandNames));
    }
    const valueFlags = new Set(
      [...cli.globalCommand.options, ...cli.matchedCommand.options]
        .filter((option) => !option.isBoolean)
        .flatMap((option) => option.names),
    );
    restoreTypedValues(args, cli.options, valueFlags);
    const code: unknown = await cli.runMatchedCommand();
    return typeof code === 'number' ? code : 0;
  } catch (error) {
    return reportFailure(error, cli.matchedCommand?.name);
  }
}

function reportFailure(error: unknown, command: string | undefined): number {
  const helpHint = `Run "netra-verify ${command === undefined ? '' : `${command} `}--help" for usage.`;
  if (error instanceof UsageError) {
    io.stderr.write(`netra-verify: ${error.message}\n${error.code === 'USAGE_ERROR' ? `${helpHint}\n` : ''}`);
  } else if (error instanceof Error && error.name === 'CACError') {
    io.stderr.write(`netra-verify: ${error.message}\n${helpHint}\n`);
  } else {
    // Not a stack trace at a user; NETRA_VERIFY_DEBUG=1 shows it for bug reports.
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`netra-verify: unexpected error: ${message}\n`);
    if (io.env.NETRA_VERIFY_DEBUG === '1' && error instanceof Error) io.stderr.write(`${error.stack}\n`);
  }
  return EXIT_USAGE;
}
