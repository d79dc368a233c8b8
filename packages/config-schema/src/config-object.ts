import type { CompiledSchema } from './compile.ts';

/** What a sensitive value prints as. */
export const REDACTED = '[redacted]';

// Node's util.inspect (and so console.log) looks this symbol up; using it needs no import of node:util.
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

type Node = Record<string, unknown>;

/** A plain copy of a config node with every sensitive value replaced by `[redacted]`. */
function redactedCopy(node: Node, sensitive: ReadonlySet<string>): Node {
  const copy: Node = {};
  for (const [key, value] of Object.entries(node)) {
    if (value !== null && typeof value === 'object') {
      const child = nodeSensitive.get(value as Node);
      copy[key] = child ? redactedCopy(value as Node, child) : value;
    } else {
      copy[key] = sensitive.has(key) && value !== undefined ? REDACTED : value;
    }
  }
  return copy;
}

const nodeSensitive = new WeakMap<Node, ReadonlySet<string>>();

function seal(node: Node, sensitive: ReadonlySet<string>, label: string): Node {
  nodeSensitive.set(node, sensitive);
  const hidden = (value: unknown) => ({ value, enumerable: false, writable: false, configurable: false });
  Object.defineProperties(node, {
    toJSON: hidden(() => redactedCopy(node, sensitive)),
    toString: hidden(() => `${label} ${JSON.stringify(redactedCopy(node, sensitive))}`),
    [INSPECT]: hidden(() => redactedCopy(node, sensitive)),
  });
  return Object.freeze(node);
}

/**
 * Builds the nested, deeply frozen config object. Sensitive fields hold the real string, but
 * `JSON.stringify`, `util.inspect`/`console.log` and `String()` show `[redacted]`.
 */
export function buildConfig(
  compiled: CompiledSchema,
  values: ReadonlyMap<string, unknown>,
): Record<string, unknown> {
  const root: Node = {};
  const sensitiveOf = new Map<Node, Set<string>>([[root, new Set()]]);
  const order: Node[] = [root];
  for (const variable of compiled.variables) {
    let node = root;
    for (const segment of variable.path.slice(0, -1)) {
      let child = node[segment] as Node | undefined;
      if (!child) {
        child = {};
        node[segment] = child;
        sensitiveOf.set(child, new Set());
        order.push(child);
      }
      node = child;
    }
    const leaf = variable.path[variable.path.length - 1]!;
    node[leaf] = values.get(variable.key);
    if (variable.sensitive) sensitiveOf.get(node)!.add(leaf);
  }
  // Children first, so a parent's freeze never races a child's definition.
  for (const node of order.reverse()) {
    seal(node, sensitiveOf.get(node)!, `Config(${compiled.environment})`);
  }
  return root;
}
