/**
 * What a built-in value helper, policy, cross-variable rule or dynamic default does, as data: the code generators
 * (`netra-verify codegen python`) emit the same check in another language from it. Kept by identity (the zod
 * schema object, the rule's `check`, the default's `resolve`), so a rule spread with another severity keeps its
 * description and one whose `check` is replaced loses it — then it is reported as not translatable, never
 * translated wrongly.
 */

/** A value helper's parser as data. Patterns are the JavaScript regular expressions the helper tests with. */
export type PortableValue =
  | { type: 'text' }
  | { type: 'port' }
  | { type: 'boolean'; true: readonly string[]; false: readonly string[] }
  | { type: 'one-of'; values: readonly string[] }
  | { type: 'pattern'; pattern: string; flags: string }
  | {
      /** `z.coerce.number()` with `.int()`/`.min()`/`.max()`/`.gt()`/`.lt()` checks, in zod's order. */
      type: 'number';
      checks: readonly (
        | { check: 'int' }
        | {
            check: 'min' | 'max';
            value: number;
            inclusive: boolean /** as zod's message prints it */;
            text: string;
          }
      )[];
    }
  | {
      type: 'host';
      pattern: string;
      cloudSql: boolean;
      expectation: string;
      portVariable?: string;
    };

/** A built-in policy as data (`pattern`: the very regular expression the policy tests with, `u` flag). */
export type PortablePolicy =
  | { policy: 'not-loopback'; url: boolean; pattern: string }
  | { policy: 'https-url'; pattern: string }
  | { policy: 'no-placeholder'; pattern: string }
  | { policy: 'min-strength'; minLength: number; pattern: string }
  | { policy: 'base64url-bytes'; bytes: number; pattern: string; command: string }
  | { policy: 'not-json-document'; field: string };

/** A fragment's cross-variable rule as data. */
export type PortableCrossRule =
  | { builtin: 'password-not-user' }
  | { builtin: 'ssl-over-network'; socketPrefix: string }
  | { builtin: 'oauth-client-pair' };

/** A dynamic default as data: `matched` when `variable`'s raw value starts with `startsWith`, else `otherwise`. */
export interface PortableDefault {
  variable: string;
  startsWith: string;
  matched: string;
  otherwise: string;
}

const marks = new WeakMap<object, unknown>();

/** Records what `target` (a zod schema, a rule's `check`, a default's `resolve`) does. Returns `target`. */
export function markPortable<T extends object>(
  target: T,
  meta: PortableValue | PortablePolicy | PortableCrossRule | PortableDefault,
): T {
  marks.set(target, meta);
  return target;
}

/** What {@link markPortable} recorded for `target`, if anything. */
export function portableMark(target: object): unknown {
  return marks.get(target);
}
