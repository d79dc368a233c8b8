import fc from 'fast-check';
import { expect, test } from 'vitest';
import { crc32c } from './crc32c.ts';

/** Bit-at-a-time CRC-32C straight from the definition: an independent reference for the table version. */
function reference(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

test.each([
  ['the check value of "123456789"', Buffer.from('123456789'), 0xe3069283],
  ['empty input', Buffer.alloc(0), 0],
  // RFC 3720 (iSCSI), appendix B.4
  ['32 bytes of zeros', Buffer.alloc(32, 0), 0x8a9136aa],
  ['32 bytes of 0xff', Buffer.alloc(32, 0xff), 0x62a8ab43],
  ['32 incrementing bytes', Buffer.from(Array.from({ length: 32 }, (_, i) => i)), 0x46dd794e],
  ['32 decrementing bytes', Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i)), 0x113fdb5c],
])('%s', (_, data, expected) => {
  expect(crc32c(data)).toBe(expected);
});

test('matches the bit-at-a-time definition on any input', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 512 }), (data) => {
      expect(crc32c(data)).toBe(reference(data));
    }),
  );
});
