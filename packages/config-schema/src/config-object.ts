import type { CompiledSchema } from './compile.ts';

/** What a sensitive value prints as. */
export const REDACTED = '[redacted]';

// Node's util.inspect (and so console.log) looks this symbol up; using it needs no import of node:util.
const INSPECT = Symbol.for('nodejs.util.inspect.custom');
const REDACT = Symbol('redact');

type Node = Record<string | symbol, unknown>;

/*
 * The design: a sensitive field is not an own property of its object. Its value sits, non-enumerable, on a small
 * per-object prototype between the object and a shared prototype that holds the redacting `toJSON`, inspect and
 * `toString`. `config.jwtSecret` reads it as usual, but every way of copying or walking the object that is not
 * written for it — spread, `Object.assign/entries/values/fromEntries`, `for…in`, `structuredClone`,
 * `Reflect.ownKeys`, `Object.getOwnPropertyDescriptors`, a `Map` of entries — sees only the other fields, and
 * the object's own printed forms show `[redacted]`. (A `Redacted` wrapper opened with `.reveal()` was measured
 * against it: see the README.)
 */

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
  return Object.freeze(
    Object.create(Object.prototype, {
      [REDACT]: hidden(copy),
      toJSON: hidden(function (this: Node) {
        // A plain object: JSON needs no type name.
        return { ...copy.call(this) };
      }),
      [INSPECT]: hidden(copy),
      toString: hidden(function (this: Node) {
        return `${stringLabel} ${JSON.stringify(this)}`;
      }),
    }),
  );
}

/**
 * A frozen object of `values`: the `sensitive` fields readable by name but held non-enumerable on a per-object
 * prototype, the rest own enumerable properties, in the order of `keys`.
 */
function instantiate(
  proto: object,
  keys: readonly string[],
  sensitive: ReadonlySet<string>,
  valueAt: (key: string, position: number) => unknown,
): Node {
  let holder: object = proto;
  if (sensitive.size > 0) {
    // `constructor: Object` makes util.inspect stop here and name the object `Object`: with `showHidden` it lists
    // the properties of prototypes it passes before finding a constructor, and this one holds the secrets.
    const descriptors: PropertyDescriptorMap = { constructor: { value: Object, enumerable: false } };
    keys.forEach((key, position) => {
      if (sensitive.has(key)) {
        descriptors[key] = {
          value: valueAt(key, position),
          enumerable: false,
          writable: false,
          configurable: false,
        };
      }
    });
    holder = Object.freeze(Object.create(proto, descriptors));
  }
  const node = Object.create(holder) as Node;
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
  keys: string[];
  sensitive: ReadonlySet<string>;
  leaves: { segment: string; index: number }[];
  children: Layout[];
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
    return {
      proto: makeProto(keys, node.sensitive, '', label),
      keys,
      sensitive: node.sensitive,
      leaves: node.leaves,
      children: [...node.children.values()].map(finish),
    };
  };
  const layout = finish(root);
  layouts.set(compiled, layout);
  return layout;
}

function build(layout: Layout, values: readonly unknown[]): Node {
  let child = 0;
  return instantiate(layout.proto, layout.keys, layout.sensitive, (_, position) => {
    const index = layout.leaves[position]!.index;
    return index < 0 ? build(layout.children[child++]!, values) : values[index];
  });
}

/**
 * Builds the nested, deeply frozen config object (see {@link secretFields}): sensitive fields read by name,
 * are skipped by every copy and walk, and show `[redacted]` in `JSON.stringify`, `util.inspect`/`console.log`
 * and `String()`.
 */
export function buildConfig(compiled: CompiledSchema, values: readonly unknown[]): Record<string, unknown> {
  return build(layoutOf(compiled), values) as Record<string, unknown>;
}
