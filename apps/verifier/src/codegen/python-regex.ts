/**
 * A JavaScript regular expression (source and flags) as a Python `re` pattern that matches exactly the same
 * strings, or an {@link UntranslatableRegex} naming what has no exact counterpart. JavaScript's `\s`, `\d`, `\w`,
 * `.` and `$` mean other things in Python (Unicode digits, no `\u2028`, "before a final newline"), so each is
 * spelled out; anything not handled here (flags other than `u`/`i`, `\p{…}`, `\c`, back-references by name in
 * character classes…) is refused rather than guessed.
 */

/** ECMAScript's WhiteSpace and LineTerminator code points, as `re` escapes inside a character class. */
const JS_SPACE_CLASS = String.raw`\t\n\x0b\x0c\r \xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff`;
const LINE_TERMINATORS = String.raw`\n\r\u2028\u2029`;

const CLASS_ESCAPES: Record<string, string> = {
  d: '0-9',
  w: 'A-Za-z0-9_',
  s: JS_SPACE_CLASS,
};

/** Thrown for a construct without an exact Python counterpart. */
export class UntranslatableRegex extends Error {
  override readonly name = 'UntranslatableRegex';
}

function escapeAt(source: string, index: number, inClass: boolean): { text: string; next: number } {
  const char = source[index + 1];
  if (char === undefined) throw new UntranslatableRegex('a trailing backslash');
  const lower = char.toLowerCase();
  if (lower === 'd' || lower === 'w' || lower === 's') {
    const body = CLASS_ESCAPES[lower]!;
    if (inClass) {
      if (char !== lower) throw new UntranslatableRegex(`\\${char} inside a character class`);
      return { text: body, next: index + 2 };
    }
    return { text: char === lower ? `[${body}]` : `[^${body}]`, next: index + 2 };
  }
  if (char === 'u' && source[index + 2] === '{') {
    const end = source.indexOf('}', index + 3);
    const hex = source.slice(index + 3, end);
    if (end < 0 || !/^[0-9A-Fa-f]{1,6}$/.test(hex)) throw new UntranslatableRegex('a malformed \\u{…}');
    return { text: `\\U${hex.padStart(8, '0')}`, next: end + 1 };
  }
  if (char === 'u') {
    const hex = source.slice(index + 2, index + 6);
    if (!/^[0-9A-Fa-f]{4}$/.test(hex)) throw new UntranslatableRegex('a malformed \\u escape');
    return { text: `\\u${hex}`, next: index + 6 };
  }
  if (char === 'x') {
    const hex = source.slice(index + 2, index + 4);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new UntranslatableRegex('a malformed \\x escape');
    return { text: `\\x${hex}`, next: index + 4 };
  }
  if ('tnrfv'.includes(char)) return { text: char === 'v' ? '\\x0b' : `\\${char}`, next: index + 2 };
  if (char === '0' && !/[0-9]/.test(source[index + 2] ?? '')) return { text: '\\x00', next: index + 2 };
  if (/[1-9]/.test(char)) {
    if (inClass) throw new UntranslatableRegex('a back-reference inside a character class');
    const digits = /^[0-9]+/.exec(source.slice(index + 1))![0];
    return { text: `(?:\\${digits})`, next: index + 1 + digits.length };
  }
  if (char === 'b' || char === 'B') {
    // Python's \b, with the ASCII word characters JavaScript uses (inside a class, JavaScript's \b is a backspace).
    if (inClass) return { text: char === 'b' ? '\\x08' : 'B', next: index + 2 };
    return { text: `(?a:\\${char})`, next: index + 2 };
  }
  if (/[A-Za-z]/.test(char)) throw new UntranslatableRegex(`the escape \\${char}`);
  // An escaped punctuation character is itself in both languages; `/` needs no escape in Python.
  return { text: char === '/' ? '/' : `\\${char}`, next: index + 2 };
}

/**
 * Translates `source`/`flags` (as `RegExp.prototype.source` and `.flags` give them) to a Python pattern for
 * `re.compile` used with `search`, as JavaScript's `test` is.
 *
 * @example
 * toPythonRegex('^[0-9]+$', 'u'); // '^[0-9]+\\Z'
 */
export function toPythonRegex(source: string, flags: string): string {
  for (const flag of flags) {
    if (flag !== 'u' && flag !== 'i') throw new UntranslatableRegex(`the ${flag} flag`);
  }
  if (/\\[pP]\{/.test(source)) throw new UntranslatableRegex('a Unicode property escape');
  let out = flags.includes('i') ? '(?i)' : '';
  let index = 0;
  while (index < source.length) {
    const char = source[index]!;
    if (char === '\\') {
      const { text, next } = escapeAt(source, index, false);
      out += text;
      index = next;
      continue;
    }
    if (char === '[') {
      const negated = source[index + 1] === '^';
      let cursor = index + (negated ? 2 : 1);
      if (source[cursor] === ']') {
        // JavaScript's [] matches nothing and [^] anything; Python would read the ] as a member.
        out += negated ? `[\\s\\S]` : '(?!)';
        index = cursor + 1;
        continue;
      }
      let body = '';
      const members: string[] = [];
      while (cursor < source.length && source[cursor] !== ']') {
        const member = source[cursor]!;
        if (member === '\\') {
          const escaped = source[cursor + 1];
          members.push(`\\${escaped}`);
          if (escaped === 'S' || escaped === 'D' || escaped === 'W') {
            body += `\\${escaped}`;
            cursor += 2;
            continue;
          }
          const { text, next } = escapeAt(source, cursor, true);
          body += text;
          cursor = next;
          continue;
        }
        // Python warns on (and may one day give meaning to) [ & | ~ inside a set: escape them.
        body += '[&|~'.includes(member) ? `\\${member}` : member;
        cursor++;
      }
      if (cursor >= source.length) throw new UntranslatableRegex('an unterminated character class');
      const complement = members.find((member) => ['\\S', '\\D', '\\W'].includes(member));
      if (complement) {
        // Only the "anything" idiom [\s\S] / [\d\D] / [\w\W] has an exact meaning without JavaScript's sets.
        const pair = complement.toLowerCase();
        if (members.length !== 2 || !members.includes(pair) || body.length === 0) {
          throw new UntranslatableRegex(`${complement} inside a character class`);
        }
        out += negated ? '(?!)' : '[\\s\\S]';
      } else {
        out += `[${negated ? '^' : ''}${body}]`;
      }
      index = cursor + 1;
      continue;
    }
    if (char === '.') {
      out += `[^${LINE_TERMINATORS}]`;
      index++;
      continue;
    }
    if (char === '$') {
      out += '\\Z';
      index++;
      continue;
    }
    if (char === '(' && source.startsWith('(?<', index) && !/^\(\?<[=!]/.test(source.slice(index))) {
      out += '(?P<';
      index += 3;
      continue;
    }
    out += char;
    index++;
  }
  return out;
}
