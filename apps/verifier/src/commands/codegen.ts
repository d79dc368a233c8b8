/**
 * `netra-verify codegen LANGUAGE --out FILE [--check]`: writes a loader for a service written in another language,
 * generated from the schema (today: `python`, one standard-library module). `--check` writes nothing and fails
 * when FILE differs from what would be generated, as `docs --check` does. Whatever the module cannot check (a
 * custom rule or value schema) is listed in the output as "not checked in Python".
 */
import { readFile, writeFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import type { CommandContext } from '../context';
import { EXIT_ISSUES, EXIT_OK, InputError, UsageError } from '../errors';
import type { Io } from '../io';
import { booleanOption, type RawOptions, requiredStringOption } from '../options';

/** The languages `codegen` writes. */
const CODEGEN_LANGUAGES = ['python'] as const;
type Language = (typeof CODEGEN_LANGUAGES)[number];

/** Options of `codegen`, after parsing. */
export interface CodegenOptions {
  language: Language;
  out: string;
  check: boolean;
}

/** Parses cac's options for `codegen <language>`. */
export function parseCodegenOptions(language: unknown, raw: RawOptions): CodegenOptions {
  const name = String(language ?? '');
  if (!(CODEGEN_LANGUAGES as readonly string[]).includes(name)) {
    const shown = /^[\w.+-]{1,40}$/.test(name) ? `'${name}'` : 'that language';
    throw new UsageError(
      `codegen does not support ${shown}; supported: ${CODEGEN_LANGUAGES.join(', ')} (netra-verify codegen python --out config.py)`,
    );
  }
  return {
    language: name as Language,
    out: requiredStringOption(raw, 'out', '--out', '--out app/netra_config.py'),
    check: booleanOption(raw, 'check'),
  };
}

/** Runs `codegen`: 0 when written (or, with `--check`, current), 1 when `--check` finds it stale or missing. */
export async function runCodegen(options: CodegenOptions, io: Io, context: CommandContext): Promise<number> {
  const { generatePython } = await import('../codegen/python');
  const { schema, schemaSpec: spec } = context;
  let generated: ReturnType<typeof generatePython>;
  try {
    generated = generatePython(schema, { schemaSpec: spec });
  } catch (error) {
    throw new UsageError(`cannot generate Python for this schema: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const target = resolve(io.cwd, options.out);
  const shown = relative(io.cwd, target) || options.out;
  const notChecked =
    generated.notChecked.length === 0
      ? ''
      : `not checked in Python (the TypeScript loader checks them; the module lists them at its top):\n${generated.notChecked.map((line) => `  - ${line}\n`).join('')}`;
  if (options.check) {
    let onDisk: string | undefined;
    try {
      onDisk = await readFile(target, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new InputError(`cannot read ${shown}: ${(error as Error).message}`, {
          file: shown,
          cause: error,
        });
      }
    }
    if (onDisk === generated.source) {
      io.stdout.write(`codegen: ${shown} is up to date with the schema\n${notChecked}`);
      return EXIT_OK;
    }
    io.stdout.write(
      `codegen: ${shown} ${onDisk === undefined ? 'does not exist' : 'differs from what the schema generates'}\n` +
        `Regenerate it: netra-verify codegen ${options.language} --out ${options.out}\n${notChecked}`,
    );
    return EXIT_ISSUES;
  }
  try {
    await writeFile(target, generated.source);
  } catch (error) {
    throw new InputError(`cannot write ${shown}: ${(error as Error).message}`, { file: shown, cause: error });
  }
  io.stdout.write(`codegen: wrote ${shown} (Python 3.9+, standard library only)\n${notChecked}`);
  return EXIT_OK;
}
