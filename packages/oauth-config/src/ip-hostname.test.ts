// isIpHostname replaces node:net's isIP for URL hostnames: it must agree with isIP on every hostname the WHATWG
// URL parser can produce (IPv6 bracketed, IPv4 in any form normalised to dotted-quad).
import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { isIpHostname } from './oauth-config.ts';

const oracle = (hostname: string) => isIP(hostname.replace(/^\[|\]$/g, '')) !== 0;

describe('isIpHostname on WHATWG URL hostnames', () => {
  test.each([
    ['https://34.120.1.2/', '34.120.1.2', true],
    ['https://0x22.0x78.1.2/', '34.120.1.2', true],
    ['https://3232235777/', '192.168.1.1', true],
    ['https://127.1/', '127.0.0.1', true],
    ['https://0177.0.0.1/', '127.0.0.1', true],
    ['https://[2001:db8::1]/', '[2001:db8::1]', true],
    ['https://[::ffff:10.0.0.1]:8443/', '[::ffff:a00:1]', true],
    ['https://[::1]/', '[::1]', true],
    ['https://api.netra.example/', 'api.netra.example', false],
    ['https://1.2.3.example/', '1.2.3.example', false],
    ['https://api.1234/', null, false],
    ['https://a1.b2.c3.d4/', 'a1.b2.c3.d4', false],
    ['https://xn--bcher-kva.example/', 'xn--bcher-kva.example', false],
    ['https://bücher.example/', 'xn--bcher-kva.example', false],
    ['https://localhost/', 'localhost', false],
  ] as const)('%s → hostname %s, IP %s', (href, hostname, ip) => {
    if (hostname === null) {
      expect(() => new URL(href)).toThrow(); // a numeric last label must be a valid IPv4: never a hostname
      return;
    }
    const url = new URL(href);
    expect(url.hostname).toBe(hostname);
    expect(isIpHostname(url.hostname)).toBe(ip);
    expect(oracle(url.hostname)).toBe(ip);
  });

  test('agrees with net.isIP on the hostnames of generated URLs (IPv4 in every notation, IPv6, domains)', () => {
    const host = fc.oneof(
      fc.ipV4(),
      fc.ipV4Extended(),
      fc.ipV6().map((address) => `[${address}]`),
      fc.domain(),
      fc.integer({ min: 0, max: 2 ** 32 - 1 }).map(String),
    );
    fc.assert(
      fc.property(host, (authority) => {
        let url: URL;
        try {
          url = new URL(`https://${authority}/`);
        } catch {
          return; // not a host the URL parser accepts
        }
        expect(isIpHostname(url.hostname)).toBe(oracle(url.hostname));
      }),
      { numRuns: 2000 },
    );
  });
});
