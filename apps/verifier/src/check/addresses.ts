import { BlockList, isIP } from 'node:net';

let privateRanges: BlockList | undefined;

function ranges(): BlockList {
  if (privateRanges) return privateRanges;
  privateRanges = new BlockList();
  privateRanges.addSubnet('10.0.0.0', 8, 'ipv4');
  privateRanges.addSubnet('172.16.0.0', 12, 'ipv4');
  privateRanges.addSubnet('192.168.0.0', 16, 'ipv4');
  privateRanges.addSubnet('fc00::', 7, 'ipv6');
  return privateRanges;
}

/**
 * Whether `host` is an IP address in a private range (RFC 1918: 10/8, 172.16/12, 192.168/16; RFC 4193 unique
 * local: fc00::/7). A name is not an address: whether it resolves to a private one is unknown before deploy.
 */
export function isPrivateAddress(host: string): boolean {
  const address = host.replace(/^\[|\]$/g, '');
  const family = isIP(address);
  if (family === 0) return false;
  return ranges().check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** The instance connection name of a `/cloudsql/PROJECT:REGION:INSTANCE` socket directory, else undefined. */
export function cloudSqlInstanceOf(host: string): string | undefined {
  const match = /^\/cloudsql\/([^/]+:[^/]+:[^/]+)\/?/.exec(host);
  return match?.[1];
}
