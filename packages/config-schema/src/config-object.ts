import type { CompiledSchema } from './compile.ts';

/** What a sensitive value prints as. */
export const REDACTED = '[redacted]';

// Node's util.inspect (and so console.log) looks this symbol up; using it needs no import of node:util.
const INSPECT = Symbol.for('nodejs.util.inspect.custom');
const REDACT = Symbol('redact');

type Node = Record<string | symbol, unknown>;

interface Layout {
  proto: object;
  leaves: { segment: string; index: number }[];
  children: { segment: string; layout: Layout }[];
}

/**
 * The redaction lives on one prototype per config node (built once per schema and environment), so loading
 * only creates plain-looking objects: own enumerable properties are exactly the settings.
 */
function makeProto(sensitive: ReadonlySet<string>, label: string): object {
  function redactedCopy(this: Node): Record<string, unknown> {
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(this)) {
      const value = this[key];
      if (value !== null && typeof value === 'object' && typeof (value as Node)[REDACT] === 'function') {
        copy[key] = ((value as Node)[REDACT] as () => unknown).call(value);
      } else {
        copy[key] = sensitive.has(key) && value !== undefined ? REDACTED : value;
      }
    }
    return copy;
  }
  const hidden = (value: unknown) => ({ value, enumerable: false, writable: false, configurable: false });
  return Object.freeze(
    Object.create(Object.prototype, {
      [REDACT]: hidden(redactedCopy),
      toJSON: hidden(redactedCopy),
      [INSPECT]: hidden(redactedCopy),
      toString: hidden(function (this: Node) {
        return `${label} ${JSON.stringify(redactedCopy.call(this))}`;
      }),
    }),
  );
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
  const finish = (node: Draft): Layout => ({
    proto: makeProto(node.sensitive, label),
    leaves: node.leaves,
    children: [...node.children].map(([segment, child]) => ({ segment, layout: finish(child) })),
  });
  const layout = finish(root);
  layouts.set(compiled, layout);
  return layout;
}

function build(layout: Layout, values: readonly unknown[]): Node {
  const node = Object.create(layout.proto) as Node;
  let child = 0;
  for (const { segment, index } of layout.leaves) {
    node[segment] = index < 0 ? build(layout.children[child++]!.layout, values) : values[index];
  }
  return Object.freeze(node);
}

/**
 * Builds the nested, deeply frozen config object. Sensitive fields hold the real string, but
 * `JSON.stringify`, `util.inspect`/`console.log` and `String()` show `[redacted]`.
 */
export function buildConfig(compiled: CompiledSchema, values: readonly unknown[]): Record<string, unknown> {
  return build(layoutOf(compiled), values) as Record<string, unknown>;
}
