import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decodeUtf8, loadCrc32c, verifyPayloadChecksum } from './payload.ts';

const crc32c = await loadCrc32c();

const bytes = (text: string) => new TextEncoder().encode(text);

describe('verifyPayloadChecksum', () => {
  // 0xE3069283 = 3808858755 is CRC32C("123456789"), the standard check value (RFC 3720, B.4).
  test.each<[string, Parameters<typeof verifyPayloadChecksum>[2], ReturnType<typeof verifyPayloadChecksum>]>([
    ['int64 as string (the client default)', '3808858755', 'ok'],
    ['as number', 3808858755, 'ok'],
    ['Long-like object', { toString: () => '3808858755' }, 'ok'],
    ['off by one', '3808858754', 'mismatch'],
    ['not a number', 'abc', 'mismatch'],
    ['negative', '-1', 'mismatch'],
    ['absent (null)', null, 'absent'],
    ['absent (undefined)', undefined, 'absent'],
  ])('%s', (_name, expected, outcome) => {
    expect(verifyPayloadChecksum(crc32c, bytes('123456789'), expected)).toBe(outcome);
  });

  test('one flipped bit is a mismatch', () => {
    const data = bytes('correct horse battery staple');
    const checksum = crc32c(data);
    data[3] = (data[3] as number) ^ 0x01;
    expect(verifyPayloadChecksum(crc32c, data, String(checksum))).toBe('mismatch');
  });
});

/** Bit-at-a-time CRC-32C straight from the definition (reflected polynomial 0x82F63B78): an independent reference. */
function referenceCrc32c(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe('loadCrc32c: the one CRC-32C of the project', () => {
  test.each([
    ['the check value of "123456789"', bytes('123456789'), 0xe3069283],
    ['empty input', new Uint8Array(), 0],
    // RFC 3720 (iSCSI), appendix B.4
    ['32 bytes of zeros', new Uint8Array(32), 0x8a9136aa],
    ['32 bytes of 0xff', new Uint8Array(32).fill(0xff), 0x62a8ab43],
    ['32 incrementing bytes', Uint8Array.from({ length: 32 }, (_, i) => i), 0x46dd794e],
    ['32 decrementing bytes', Uint8Array.from({ length: 32 }, (_, i) => 31 - i), 0x113fdb5c],
  ])('%s', (_name, data, expected) => {
    expect(crc32c(data)).toBe(expected);
  });

  test('is CRC-32C (Castagnoli), not the CRC-32 of zlib', async () => {
    const { crc32 } = await import('node:zlib');
    expect(crc32(bytes('123456789'))).toBe(0xcbf43926);
    expect(crc32c(bytes('123456789'))).not.toBe(0xcbf43926);
  });

  test('matches the bit-at-a-time definition on any input, also a view into a larger buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1024 }), fc.nat(16), fc.nat(16), (data, before, after) => {
        const backing = new Uint8Array(before + data.length + after).fill(0xa5);
        backing.set(data, before);
        const view = backing.subarray(before, before + data.length);
        expect(crc32c(data)).toBe(referenceCrc32c(data));
        expect(crc32c(view)).toBe(referenceCrc32c(data));
      }),
    );
  });
});

describe('decodeUtf8', () => {
  test.each<[string, number[], string | null]>([
    ['ASCII', [0x61, 0x62], 'ab'],
    ['multi-byte', [0xc3, 0xa9, 0xe2, 0x82, 0xac], 'é€'],
    ['empty', [], ''],
    ['a lone 0xff', [0x61, 0xff], null],
    ['a truncated sequence', [0xe2, 0x82], null],
    ['an overlong encoding', [0xc0, 0xaf], null],
  ])('%s', (_name, bytes, expected) => {
    expect(decodeUtf8(new Uint8Array(bytes))).toBe(expected);
  });

  test('respects the view of a larger buffer', () => {
    const backing = new Uint8Array([0xff, 0x61, 0x62, 0xff]);
    expect(decodeUtf8(backing.subarray(1, 3))).toBe('ab');
  });
});
