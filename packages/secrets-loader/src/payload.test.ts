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

  test('the function is CRC32C (Castagnoli), not CRC32', () => {
    expect(crc32c(bytes('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array())).toBe(0);
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
