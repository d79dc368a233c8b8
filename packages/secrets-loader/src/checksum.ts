import { crc32c } from '@aws-crypto/crc32c';

/**
 * Verifies a Secret Manager payload against its `dataCrc32c` (the official client passes the field through
 * without checking it). The field is an int64: a string with the client's default loader options, possibly a
 * number or a Long-like object. Returns `'ok'`, `'mismatch'`, or `'absent'` when the response carries none.
 */
export function verifyPayloadChecksum(
  data: Uint8Array,
  expected: string | number | { toString(): string } | null | undefined,
): 'ok' | 'mismatch' | 'absent' {
  if (expected === null || expected === undefined) return 'absent';
  const text = typeof expected === 'string' ? expected : expected.toString();
  if (!/^\d+$/.test(text)) return 'mismatch';
  return BigInt(text) === BigInt(crc32c(data)) ? 'ok' : 'mismatch';
}

/** The CRC32C of a payload, as Secret Manager's `data_crc32c` expects it (for AddSecretVersion). */
export function payloadChecksum(data: Uint8Array): number {
  return crc32c(data);
}
