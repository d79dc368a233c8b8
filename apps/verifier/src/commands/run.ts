/**
 * `netra-verify run --env E [--env-file F]… [--project P] -- COMMAND ARGS…`: starts a service of any language
 * behind the schema's start-up check, as `doppler run`, `dotenvx run` and `berglas exec` do. The process
 * environment (over the env files: what the platform sets wins) is resolved with @netra/secrets-loader —
 * `sm://` references, mounted `NAME_FILE`s, Secret Manager bindings with `--project` — and validated; on errors
 * the report goes to stderr and the exit code is 78 (EX_CONFIG) with no child started. Otherwise COMMAND runs
 * with that environment plus the resolved secrets under their names; SIGINT, SIGTERM and SIGHUP are passed to it,
 * and its exit code (128+signal when a signal ended it) is ours. 127: COMMAND could not be started.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import {
  type ConfigSchema,
  describeSchema,
  formatIssues,
  type Issue,
  summarizeIssues,
} from '@netra/config-schema';
import type { CommandContext } from '../context';
import { readEnvFilesReporting } from '../env-files';
import { UsageError } from '../errors';
import type { Io } from '../io';
import { type RawOptions, requiredStringOption, stringListOption, stringOption } from '../options';

/** EX_CONFIG (sysexits.h): the configuration is invalid; the service was not started. */
const EXIT_CONFIG = 78;
/** As shells answer for a command they cannot start. */
const EXIT_CANNOT_START = 127;

/** The signals passed on to the command. */
const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type ForwardedSignal = (typeof FORWARDED_SIGNALS)[number];

/** Options of `run`, after parsing. */
export interface RunOptions {
  /** `--env` as typed: checked against the schema by {@link runRun}. */
  environment: string;
  envFiles: string[];
  project: string | undefined;
  command: string;
  args: string[];
}

/** Parses cac's options for `run`; `words` are the words before `--` (there must be none). */
export function parseRunOptions(raw: RawOptions, words: readonly unknown[]): RunOptions {
  const after = raw['--'];
  const command = Array.isArray(after) ? after.map(String) : [];
  if (words.length > 0 && command.length === 0) {
    throw new UsageError(
      `put -- before the command to run: netra-verify run --env E -- ${words.map(String).join(' ')}`,
    );
  }
  if (words.length > 0) {
    throw new UsageError(`unexpected ${words.map((word) => `'${String(word)}'`).join(' ')} before --`);
  }
  if (command.length === 0 || command[0] === '') {
    throw new UsageError(
      'run needs a command after --, e.g. netra-verify run --env staging -- python -m app',
    );
  }
  const environment = requiredStringOption(
    raw,
    'env',
    '--env',
    '--env staging (the environment the command runs in)',
  );
  return {
    environment,
    envFiles: stringListOption(raw, 'envFile', '--env-file'),
    project: stringOption(raw, 'project', '--project'),
    command: command[0]!,
    args: command.slice(1),
  };
}

/** A signal that arrived before the command was started. */
interface Interrupted {
  signal: ForwardedSignal;
}

/** Signal handlers installed for the whole run: before the fetch (to stop it) and while the child runs. */
class SignalRelay {
  private target: ((signal: ForwardedSignal) => void) | undefined;
  private received: ForwardedSignal | undefined;
  private wake: ((interrupted: Interrupted) => void) | undefined;
  private readonly handlers = new Map<ForwardedSignal, () => void>();

  constructor() {
    for (const signal of FORWARDED_SIGNALS) {
      const handler = () => {
        if (this.target) this.target(signal);
        else {
          this.received ??= signal;
          this.wake?.({ signal });
        }
      };
      this.handlers.set(signal, handler);
      process.on(signal, handler);
    }
  }

  /** Resolves when a signal arrives before {@link forwardTo} (never, once a child runs). */
  interrupted(): Promise<Interrupted> {
    if (this.received) return Promise.resolve({ signal: this.received });
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  get pending(): ForwardedSignal | undefined {
    return this.received;
  }

  forwardTo(target: (signal: ForwardedSignal) => void): void {
    this.target = target;
  }

  dispose(): void {
    for (const [signal, handler] of this.handlers) process.off(signal, handler);
  }
}

function signalExitCode(signal: string): number {
  const number = (constants.signals as Record<string, number | undefined>)[signal];
  return 128 + (number ?? 0);
}

interface Resolved {
  ok: boolean;
  env: Record<string, string>;
  issues: Issue[];
}

/** The child's environment: process env over the env files, secrets resolved, validated. Never throws for bad input. */
async function resolveEnvironment(schema: ConfigSchema, options: RunOptions, io: Io): Promise<Resolved> {
  const described = describeSchema(schema, options.environment);
  const keyOf = new Map(described.map((variable) => [variable.variable, variable.key]));
  const files = readEnvFilesReporting(options.envFiles, io.cwd, (variable) => keyOf.get(variable) ?? '');
  const env: Record<string, string> = { ...files.values };
  for (const [name, value] of Object.entries(io.env)) if (value !== undefined) env[name] = value;
  const environmentVariable = described.find((variable) => variable.key === 'environment')?.variable;
  if (environmentVariable && (env[environmentVariable] ?? '') === '')
    env[environmentVariable] = options.environment;

  // A file's line that the process environment overrides is not what the command gets.
  const issues: Issue[] = files.issues.filter((issue) => io.env[issue.variable] === undefined);
  // The service's own start-up verdict (the one check runs too): secrets from env, sm:// references, NAME_FILE
  // and, with --project, the schema's bindings; then the schema's validation — every problem at once.
  const { safeLoadStartup } = await import('@netra/secrets-loader');
  const verdict = await safeLoadStartup(schema, {
    env,
    environment: options.environment,
    projectId: options.project ?? null,
  });
  if (verdict.ok) {
    // The command gets the values, not the references or file paths it was given.
    Object.assign(env, verdict.values);
    issues.push(...verdict.warnings);
  } else issues.push(...verdict.issues);
  const ok = verdict.ok && !issues.some((issue) => issue.severity === 'error');
  return { ok, env, issues };
}

/** Runs `run`: the command's exit code, 78 for an invalid configuration, 127 when the command cannot start. */
export async function runRun(raw: RunOptions, io: Io, context: CommandContext): Promise<number> {
  const options = { ...raw, environment: context.environment(raw.environment) };
  const relay = new SignalRelay();
  try {
    const schema = context.schema;
    const outcome = await Promise.race([relay.interrupted(), resolveEnvironment(schema, options, io)]);
    if ('signal' in outcome) {
      io.stderr.write(
        `netra-verify run: ${outcome.signal} while the configuration was being loaded; ${options.command} was not started\n`,
      );
      // A Secret Manager call still in flight must not keep a stopped run alive (cli.ts would wait 2 s for it).
      const code = signalExitCode(outcome.signal);
      setTimeout(() => process.exit(code), 100).unref();
      return code;
    }
    const title = `netra-verify run: configuration for ${options.environment}`;
    if (!outcome.ok) {
      io.stderr.write(`${formatIssues(outcome.issues, { title })}\n`);
      io.stderr.write(
        `netra-verify run: ${options.command} was not started (${summarizeIssues(outcome.issues)})\n`,
      );
      return EXIT_CONFIG;
    }
    if (outcome.issues.length > 0) io.stderr.write(`${formatIssues(outcome.issues, { title })}\n`);
    if (relay.pending) return signalExitCode(relay.pending);
    return await startChild(options, outcome.env, relay, io);
  } finally {
    relay.dispose();
  }
}

function startChild(
  options: RunOptions,
  env: Record<string, string>,
  relay: SignalRelay,
  io: Io,
): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(options.command, options.args, { stdio: 'inherit', env });
    relay.forwardTo((signal) => {
      child.kill(signal);
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      const why =
        error.code === 'ENOENT'
          ? 'not found (is it on PATH?)'
          : error.code === 'EACCES'
            ? 'not executable (permission denied)'
            : `could not be started (${error.code ?? error.message})`;
      io.stderr.write(`netra-verify run: ${options.command}: ${why}\n`);
      resolve(EXIT_CANNOT_START);
    });
    child.once('exit', (code, signal) => {
      resolve(signal ? signalExitCode(signal) : (code ?? 0));
    });
  });
}
