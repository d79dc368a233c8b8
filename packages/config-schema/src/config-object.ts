import type { CompiledSchema } from './compile.ts';

/** What a sensitive value prints as. */
export const REDACTED = '[redacted]';

// Node's util.inspect (and so console.log) looks this symbol up; using it needs no import of node:util.
const INSPECT = Symbol.for('nodejs.util.inspect.custom');
const REDACT = Symbol('redact');

type Node = Record<string | symbol, unknown>;

/*
 * The design: a sensitive field is not an own property of its object. Its value sits in a private field of the
 * object (`#secrets`, invisible to every reflective API), read through a non-enumerable getter on a prototype
 * shared by every object of the same layout, which also holds the redacting `toJSON`, inspect and `toString`.
 * `config.jwtSecret` reads it as usual, but every way of copying or walking the object that is not written for
 * it — spread, `Object.assign/entries/values/fromEntries`, `for…in`, `structuredClone`, `Reflect.ownKeys`,
 * `Object.getOwnPropertyDescriptors`, a `Map` of entries — sees only the other fields, and the object's own
 * printed forms show `[redacted]`. (A `Redacted` wrapper opened with `.reveal()` was measured against it: see
 * the README.) One shared prototype per layout, rather than one per object, keeps every config object of a
 * schema on one hidden class: building one is a few property stores, not a prototype per call (issue 13's
 * profile: that was half of loadConfig's time).
 */

// Returning `target` from a base constructor makes `new SecretSlots(target, …)` install the private field on an
// existing object (the object keeps its prototype); private fields are invisible to every reflective API.
class Stamp {
  constructor(target: object) {
    // biome-ignore lint/correctness/noConstructorReturn: the return-override idiom installs a private field on target
    return target;
  }
}

class SecretSlots extends Stamp {
  readonly #secrets: readonly unknown[];
  constructor(target: object, secrets: readonly unknown[]) {
    super(target);
    this.#secrets = secrets;
  }
  /** The secret at `slot` of `node`; undefined when `node` holds none (the shared prototype itself). */
  static read(node: object, slot: number): unknown {
    return #secrets in node ? (node as SecretSlots).#secrets[slot] : undefined;
  }
}

/** Copies `node` for printing: sensitive fields as `[redacted]`, nested redacting objects by their own copy. */
function redactedCopy(node: Node, keys: readonly string[], sensitive: ReadonlySet<string>, label: string) {
  const named = copyPrototypes.get(label) ?? namedPrototype(label);
  const copy = Object.create(named) as Record<string, unknown>;
  for (const key of keys) {
    const value = node[key];
    if (value !== null && typeof value === 'object' && typeof (value as Node)[REDACT] === 'function') {
      copy[key] = ((value as Node)[REDACT] as () => unknown).call(value);
    } else {
      copy[key] = sensitive.has(key) && value !== undefined ? REDACTED : value;
    }
  }
  return copy;
}

// The copy's prototype names the type, so util.inspect prints `OAuthConfig { … }` without node:util here.
const copyPrototypes = new Map<string, object>();
function namedPrototype(label: string): object {
  if (label === '') return Object.prototype;
  // A function named `label` (a computed key names it) whose `prototype` is set below.
  const typeConstructor = { [label]: () => {} }[label]!;
  const proto = Object.create(Object.prototype, {
    constructor: { value: typeConstructor, enumerable: false },
  });
  // util.inspect names an object after a constructor only when the object is an instance of it.
  typeConstructor.prototype = proto;
  copyPrototypes.set(label, proto);
  return proto;
}

function makeProto(
  keys: readonly string[],
  sensitive: ReadonlySet<string>,
  label: string,
  stringLabel: string,
) {
  function copy(this: Node) {
    return redactedCopy(this, keys, sensitive, label);
  }
  const hidden = (value: unknown) => ({ value, enumerable: false, writable: false, configurable: false });
  const descriptors: PropertyDescriptorMap = {
    // `constructor: Object` makes util.inspect stop here and name the object `Object`: with `showHidden` it lists
    // the properties of prototypes it passes before finding a constructor, and this one reads the secrets.
    constructor: hidden(Object),
    [REDACT]: hidden(copy),
    toJSON: hidden(function (this: Node) {
      // A plain object: JSON needs no type name.
      return { ...copy.call(this) };
    }),
    [INSPECT]: hidden(copy),
    toString: hidden(function (this: Node) {
      return `${stringLabel} ${JSON.stringify(this)}`;
    }),
  };
  let slot = 0;
  for (const key of keys) {
    if (!sensitive.has(key)) continue;
    const at = slot++;
    descriptors[key] = {
      get(this: object) {
        return SecretSlots.read(this, at);
      },
      enumerable: false,
      configurable: false,
    };
  }
  return Object.freeze(Object.create(Object.prototype, descriptors));
}

/**
 * A frozen object of `values` on `proto` (made by {@link makeProto} for the same `keys` and `sensitive`): the
 * `sensitive` fields in its private slots, in the order of `keys`, the rest own enumerable properties.
 */
function instantiate(
  proto: object,
  keys: readonly string[],
  sensitive: ReadonlySet<string>,
  valueAt: (key: string, position: number) => unknown,
): Node {
  const node = Object.create(proto) as Node;
  if (sensitive.size > 0) {
    const secrets: unknown[] = [];
    keys.forEach((key, position) => {
      if (sensitive.has(key)) secrets.push(valueAt(key, position));
    });
    new SecretSlots(node, secrets);
  }
  keys.forEach((key, position) => {
    if (!sensitive.has(key)) node[key] = valueAt(key, position);
  });
  return Object.freeze(node);
}

const recordPrototypes = new Map<string, object>();

/**
 * A frozen object with `fields`, whose `sensitive` fields cannot be copied out by accident: they read by name
 * (`oauth.clientSecret`) but are not own properties, so spread, `Object.entries`, `structuredClone`, `for…in`
 * and `Reflect.ownKeys` skip them, and `JSON.stringify`, `util.inspect` and `String()` show `[redacted]`. The
 * config object, the secrets loader's result and the OAuth config are all made this way.
 *
 * @example
 * const oauth = secretFields('OAuthConfig', { clientId: 'id', clientSecret: 'GOCSPX-…' }, ['clientSecret']);
 * oauth.clientSecret;   // 'GOCSPX-…'
 * ({ ...oauth });       // { clientId: 'id' }
 * JSON.stringify(oauth); // '{"clientId":"id","clientSecret":"[redacted]"}'
 */
export function secretFields<T extends object>(
  label: string,
  fields: T,
  sensitive: readonly (keyof T & string)[],
): T {
  const keys = Object.keys(fields);
  const sensitiveSet = new Set<string>(sensitive);
  const cacheKey = `${label}\0${keys.join('\0')}\0\0${sensitive.join('\0')}`;
  const proto = recordPrototypes.get(cacheKey) ?? makeProto(keys, sensitiveSet, label, label);
  recordPrototypes.set(cacheKey, proto);
  return instantiate(proto, keys, sensitiveSet, (key) => (fields as Record<string, unknown>)[key]) as T;
}

interface Layout {
  proto: object;
  /** The own (not sensitive) fields in key order: a value's index, or a nested group's layout. */
  plain: { key: string; index: number; child: Layout | undefined }[];
  /** The value indexes of the sensitive fields, in slot order. */
  secrets: number[];
}

const layouts = new WeakMap<CompiledSchema, Layout>();

function layoutOf(compiled: CompiledSchema): Layout {
  const cached = layouts.get(compiled);
  if (cached) return cached;
  interface Draft {
    sensitive: Set<string>;
    leaves: { segment: string; index: number }[];
    children: Map<string, Draft>;
  }
  const draft = (): Draft => ({ sensitive: new Set(), leaves: [], children: new Map() });
  const root = draft();
  for (const variable of compiled.variables) {
    let node = root;
    for (const segment of variable.path.slice(0, -1)) {
      let child = node.children.get(segment);
      if (!child) {
        child = draft();
        node.children.set(segment, child);
        // Keep the shape's key order: a group takes its place among the leaves.
        node.leaves.push({ segment, index: -1 });
      }
      node = child;
    }
    const leaf = variable.path[variable.path.length - 1]!;
    node.leaves.push({ segment: leaf, index: variable.index });
    if (variable.sensitive) node.sensitive.add(leaf);
  }
  const label = `Config(${compiled.environment})`;
  const finish = (node: Draft): Layout => {
    const keys = node.leaves.map((leaf) => leaf.segment);
    const layout: Layout = { proto: makeProto(keys, node.sensitive, '', label), plain: [], secrets: [] };
    for (const { segment, index } of node.leaves) {
      if (node.sensitive.has(segment)) layout.secrets.push(index);
      else {
        const child = index < 0 ? finish(node.children.get(segment)!) : undefined;
        layout.plain.push({ key: segment, index, child });
      }
    }
    return layout;
  };
  const layout = finish(root);
  layouts.set(compiled, layout);
  return layout;
}

// Loops over the layout's precomputed lists, no closures: loadConfig builds one of these per call.
function build(layout: Layout, values: readonly unknown[]): Node {
  const node = Object.create(layout.proto) as Node;
  const { secrets, plain } = layout;
  if (secrets.length > 0) {
    const held = new Array<unknown>(secrets.length);
    for (let slot = 0; slot < secrets.length; slot++) held[slot] = values[secrets[slot]!];
    new SecretSlots(node, held);
  }
  for (let position = 0; position < plain.length; position++) {
    const field = plain[position]!;
    node[field.key] = field.child === undefined ? values[field.index] : build(field.child, values);
  }
  return Object.freeze(node);
}

/**
 * Builds the nested, deeply frozen config object (see {@link secretFields}): sensitive fields read by name,
 * are skipped by every copy and walk, and show `[redacted]` in `JSON.stringify`, `util.inspect`/`console.log`
 * and `String()`.
 */
export function buildConfig(compiled: CompiledSchema, values: readonly unknown[]): Record<string, unknown> {
  return build(layoutOf(compiled), values) as Record<string, unknown>;
}
