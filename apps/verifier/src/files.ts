import { closeSync, openSync, readSync } from 'node:fs';

/**
 * At most `limit + 1` bytes of the file: reading stops there, so a huge file, `/dev/zero` or an endless pipe is
 * refused without being read whole.
 */
export function readBounded(path: string, limit: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(limit + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length === buffer.length) break;
    }
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}
