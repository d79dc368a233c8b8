import { describe, expect, test } from 'vitest';
import { payloadChecksum, verifyPayloadChecksum } from './checksum.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('verifyPayloadChecksum', () => {
  // 0xE3069283 = 3808858755 is CRC32C("123456789"), the standard check value (RFC 3720, B.4).
  test.each<[string, Parameters<typeof verifyPayloadChecksum>[1], ReturnType<typeof verifyPayloadChecksum>]>([
    ['int64 as string (the client default)', '3808858755', 'ok'],
    ['as number', 3808858755, 'ok'],
    ['Long-like object', { toString: () => '3808858755' }, 'ok'],
    ['off by one', '3808858754', 'mismatch'],
    ['not a number', 'abc', 'mismatch'],
    ['negative', '-1', 'mismatch'],
    ['absent (null)', null, 'absent'],
    ['absent (undefined)', undefined, 'absent'],
  ])('%s', (_name, expected, outcome) => {
    expect(verifyPayloadChecksum(bytes('123456789'), expected)).toBe(outcome);
  });

  test('one flipped bit is a mismatch', () => {
    const data = bytes('correct horse battery staple');
    const checksum = payloadChecksum(data);
    data[3] = (data[3] as number) ^ 0x01;
    expect(verifyPayloadChecksum(data, String(checksum))).toBe('mismatch');
  });

  test('payloadChecksum is CRC32C', () => {
    expect(payloadChecksum(bytes('123456789'))).toBe(0xe3069283);
    expect(payloadChecksum(new Uint8Array())).toBe(0);
  });
});
