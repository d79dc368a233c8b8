import { isUtf8 } from 'node:buffer';

type Crc32c = (data: Uint8Array) => number;
let crc32cModule: Promise<Crc32c> | undefined;

/**
 * The CRC-32C (Castagnoli) function of `@node-rs/crc32`, the project's one CRC-32C (the emulator uses the same
 * package), imported on first use: only Secret Manager reads and writes need it, and a load from env and files
 * should not pay for loading a native module.
 */
export function loadCrc32c(): Promise<Crc32c> {
  crc32cModule ??= import('@node-rs/crc32').then((module) => (data: Uint8Array) => module.crc32c(data) >>> 0);
  return crc32cModule;
}

/**
 * Verifies a Secret Manager payload against its `dataCrc32c` (the official client passes the field through
 * without checking it). The field is an int64: a string with the client's default loader options, possibly a
 * number or a Long-like object. Returns `'ok'`, `'mismatch'`, or `'absent'` when the response carries none.
 */
export function verifyPayloadChecksum(
  crc32c: Crc32c,
  data: Uint8Array,
  expected: string | number | { toString(): string } | null | undefined,
): 'ok' | 'mismatch' | 'absent' {
  if (expected === null || expected === undefined) return 'absent';
  const text = typeof expected === 'string' ? expected : expected.toString();
  if (!/^\d+$/.test(text)) return 'mismatch';
  return BigInt(text) === BigInt(crc32c(data)) ? 'ok' : 'mismatch';
}

/**
 * The text of a payload or file, or `null` when it is not valid UTF-8. `isUtf8` + `toString` rather than a
 * fatal `TextDecoder`, whose first use costs a start-up that reads only env and files about a millisecond.
 */
export function decodeUtf8(data: Uint8Array): string | null {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return isUtf8(buffer) ? buffer.toString('utf8') : null;
}
