/**
 * cac parses with mri, which turns every flag value that looks like a number into one: `--thread 007` arrives as
 * `7`, `--thread 0x10` as `16`, `--project ''` as `0`, `--env-file 010` as `'10'`. The commands take text, so the
 * values of the flags that take one are put back as typed, read from the command line the way mri reads it.
 */

const camelCase = (name: string) => name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());

/**
 * The values of `valueFlags` (camelCased names of flags that take a value) in `args` as typed, in order; `true`
 * where mri finds no value (the flag last, or followed by another flag). Stops at `--`.
 *
 * @example
 * typedFlagValues(['--thread', '007'], new Set(['thread'])); // Map { 'thread' => ['007'] }
 */
export function typedFlagValues(
  args: readonly string[],
  valueFlags: ReadonlySet<string>,
): Map<string, Array<string | true>> {
  const values = new Map<string, Array<string | true>>();
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (arg === '--') break;
    if (!arg.startsWith('--')) continue;
    const equals = arg.indexOf('=');
    const name = camelCase(equals === -1 ? arg.slice(2) : arg.slice(2, equals));
    if (!valueFlags.has(name)) continue;
    // mri: the text after `=` when not empty, else the next word unless there is none or it starts with `-`.
    let value: string | true;
    const inline = equals === -1 ? '' : arg.slice(equals + 1);
    const next = args[index + 1];
    if (inline !== '') value = inline;
    else if (next === undefined || next.startsWith('-')) value = true;
    else {
      value = next;
      index++;
    }
    values.set(name, [...(values.get(name) ?? []), value]);
  }
  return values;
}

/**
 * Replaces, in cac's parsed `options`, the value of each flag in `valueFlags` by the text typed on the command line
 * (see {@link typedFlagValues}). A value whose shape differs from what was found is left as cac gave it.
 */
export function restoreTypedValues(
  args: readonly string[],
  options: Record<string, unknown>,
  valueFlags: ReadonlySet<string>,
): void {
  for (const [name, typed] of typedFlagValues(args, valueFlags)) {
    const parsed = options[name];
    if (Array.isArray(parsed)) {
      if (parsed.length === typed.length) options[name] = typed;
    } else if (parsed !== undefined && typed.length === 1) {
      options[name] = typed[0];
    }
  }
}
