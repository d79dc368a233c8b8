import { describe, expect, test } from 'vitest';
import { loadCrc32c, verifyPayloadChecksum } from './checksum.ts';

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
