#!/usr/bin/env node
/**
 * `netra-verify <command>`: parses the command line with cac and dispatches to `src/commands/<name>.ts`.
 * Each command module is imported only when its command runs, so `check` never loads the Secret Manager client
 * unless it needs it. Exit codes: 0 no errors, 1 errors found, 2 usage or I/O error; never a stack trace.
 */
import { cac } from 'cac';
import packageJson from '../package.json' with { type: 'json' };
import { EXIT_USAGE, UsageError } from './errors';
import { processIo } from './io';
import type { RawOptions } from './options';
import { didYouMean } from './suggest';

const io = processIo();
const cli = cac('netra-verify');

cli
  .command('check', 'Run the runtime validation before deploy: env files, a manifest and Secret Manager')
  .option('--env <environment>', 'Environment to check: development, test, staging or production')
  .option('--env-file <file>', 'Env file in dotenv syntax; repeat to merge (later files win)', {
    type: [String],
  })
  .option('--manifest <file>', 'Cloud Run service YAML, or a shell script with a `gcloud run deploy` command')
  .option(
    '--project <project>',
    'Read bound secrets and sm:// references from Secret Manager in this project',
  )
  .option('--json', 'Print one JSON object { ok, environment, issues } instead of the report')
  .example(
    '  $ netra-verify check --env staging --env-file .env.staging --manifest deploy.sh --project my-proj',
  )
  .action(async (options: RawOptions) => {
    const { runCheck, parseCheckOptions } = await import('./commands/check');
    return runCheck(parseCheckOptions(options), io);
  });

// Commands of issue 8 register here, one block each (see /tmp/netra/contracts.md "apps/verifier CLI structure").

cli.help();
cli.version(packageJson.version);

/**
 * cac matches a command by the first word only; two-word commands (`secrets audit`) are registered under their
 * full name and the first two words of argv are joined when they name one.
 */
function joinSubcommand(args: string[], commandNames: string[]): string[] {
  const [first, second, ...rest] = args;
  if (first === undefined || second === undefined) return args;
  const joined = `${first} ${second}`;
  if (commandNames.includes(joined)) return [joined, ...rest];
  return args;
}

function unknownCommandMessage(word: string, commandNames: string[]): string {
  const groupCommands = commandNames.filter((name) => name.startsWith(`${word} `));
  if (groupCommands.length > 0) {
    return `"${word}" needs a subcommand: ${groupCommands.map((name) => `"${name}"`).join(', ')}`;
  }
  const suggestion = didYouMean(word, commandNames);
  return `unknown command "${word}"${suggestion === undefined ? '' : `; did you mean "${suggestion}"?`}`;
}

async function main(argv: string[]): Promise<number> {
  const commandNames = cli.commands.map((command) => command.name);
  try {
    cli.parse(['node', 'netra-verify', ...joinSubcommand(argv, commandNames)], { run: false });
    if (cli.options.help === true || cli.options.version === true) return 0;
    if (cli.matchedCommand === undefined) {
      const word = cli.args[0];
      if (word === undefined) {
        io.stderr.write('netra-verify: a command is required. Run "netra-verify --help" for the list.\n');
        return EXIT_USAGE;
      }
      throw new UsageError(unknownCommandMessage(String(word), commandNames));
    }
    const code: unknown = await cli.runMatchedCommand();
    return typeof code === 'number' ? code : 0;
  } catch (error) {
    return reportFailure(error);
  }
}

function reportFailure(error: unknown): number {
  const command = cli.matchedCommand?.name;
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

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // A forgotten handle (a gRPC channel) must not keep a finished check alive.
    setTimeout(() => process.exit(code), 2000).unref();
  },
  (error: unknown) => {
    process.exitCode = reportFailure(error);
  },
);
