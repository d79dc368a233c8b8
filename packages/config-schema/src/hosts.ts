// The one host classifier: what the loopback policy refuses, what a deploy must attach (a Cloud SQL socket's
// instance) and what it must reach through VPC egress (a private address) are decided here, and nowhere else.
// Pure string work — no `node:net` — so the runtime's start-up pays nothing for it.

/** `ci('ab')` → `[aA][bB]`: case-insensitive patterns without flags, which JSON Schema does not have. */
function ci(word: string): string {
  return [...word].map((char) => `[${char.toLowerCase()}${char.toUpperCase()}]`).join('');
}

/**
 * Loopback hosts as a regular-expression source (no anchors): `localhost`, `*.localhost`, 127.0.0.0/8, `0.0.0.0`,
 * `0`, `::1`, `::`, `[::1]`, the long forms of `::1`, `ip6-localhost`, `ip6-loopback`. Exported as JSON Schema by
 * the loopback policy, so the JSON Schema and the classifier cannot drift apart.
 */
export const LOOPBACK_HOST_SOURCE = `(${ci('localhost')}\\.?|[^/\\s]*\\.${ci('localhost')}\\.?|127\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}|0\\.0\\.0\\.0|0|::1?|\\[::1?\\]|\\[?0{1,4}(:0{1,4}){6}:0{0,3}1\\]?|${ci('ip6-localhost')}|${ci('ip6-loopback')})`;

/**
 * A Cloud SQL unix-socket directory `/cloudsql/PROJECT:REGION:INSTANCE` (a domain-scoped project is
 * `example.com:project`), as a regular-expression source without anchors; the host value schema accepts exactly this.
 */
export const CLOUD_SQL_SOCKET_SOURCE =
  '/cloudsql/((?:[A-Za-z0-9._-]+:)?[A-Za-z0-9._-]+:[A-Za-z0-9-]+:[A-Za-z0-9-]+)';

const LOOPBACK = new RegExp(`^${LOOPBACK_HOST_SOURCE}$`, 'u');
const CLOUD_SQL_SOCKET = new RegExp(`^${CLOUD_SQL_SOCKET_SOURCE}$`, 'u');
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
// fc00::/7 (unique local): the first group is fcXX or fdXX, written in full.
const IPV6_UNIQUE_LOCAL = /^\[?f[cd][0-9a-f]{2}:/i;

/** What a host is, as far as a deploy can tell before it runs: see {@link classifyHost}. */
export type HostClass =
  | { kind: 'loopback' }
  | { kind: 'cloud-sql-socket'; instance: string }
  | { kind: 'private' }
  | { kind: 'other' };

/**
 * Classifies a host value (a host name, an IP address or a Cloud SQL socket directory; an IPv6 address may be
 * bracketed):
 * - `loopback`: this machine — `localhost`, `*.localhost`, 127.0.0.0/8, `::1`, `0.0.0.0`; nothing listens there
 *   once deployed;
 * - `cloud-sql-socket`: `/cloudsql/PROJECT:REGION:INSTANCE`, with the instance connection name the deploy must
 *   attach;
 * - `private`: an address only a VPC reaches — 10/8, 172.16/12, 192.168/16, 100.64/10 (shared address space,
 *   used by Memorystore and VPC peering) or fc00::/7 — so the service needs VPC egress;
 * - `other`: a public address, or a host name (even `*.internal`: what it resolves to is unknown before deploy).
 *
 * @example
 * classifyHost('10.0.0.5'); // { kind: 'private' }
 * classifyHost('/cloudsql/acme:europe-west1:db'); // { kind: 'cloud-sql-socket', instance: 'acme:europe-west1:db' }
 */
export function classifyHost(host: string): HostClass {
  if (LOOPBACK.test(host)) return { kind: 'loopback' };
  const socket = CLOUD_SQL_SOCKET.exec(host);
  if (socket) return { kind: 'cloud-sql-socket', instance: socket[1]! };
  if (isPrivate(host)) return { kind: 'private' };
  return { kind: 'other' };
}

/** Whether `host` is a loopback host (see {@link classifyHost}). */
export function isLoopbackHost(host: string): boolean {
  return classifyHost(host).kind === 'loopback';
}

/** Whether `host` is reached only through VPC egress (see {@link classifyHost}). */
export function isPrivateHost(host: string): boolean {
  return classifyHost(host).kind === 'private';
}

/** The instance connection name of a `/cloudsql/PROJECT:REGION:INSTANCE` socket directory, else `undefined`. */
export function cloudSqlInstanceOf(host: string): string | undefined {
  const hostClass = classifyHost(host);
  return hostClass.kind === 'cloud-sql-socket' ? hostClass.instance : undefined;
}

function isPrivate(host: string): boolean {
  const ipv4 = IPV4.exec(host);
  if (ipv4) {
    const octets = ipv4.slice(1).map(Number);
    if (octets.some((octet) => octet > 255)) return false;
    const [a, b] = octets as [number, number];
    return (
      a === 10 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  // A name is not an address: whether it resolves to a private one is unknown before deploy.
  return IPV6_UNIQUE_LOCAL.test(host);
}
