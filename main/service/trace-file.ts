/**
 * Traces kept inside a project (bytes in SQLite) are read like any trace file: the engine's
 * streaming readers take files (every format and every compression, .xz included), so the bytes
 * get a private temporary file with their original name (the format may be detected from it).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export async function withTraceFile<T>(
  fileName: string,
  bytes: Uint8Array,
  use: (file: string) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hclab-trace-'));
  try {
    const file = path.join(dir, path.basename(fileName) || 'trace');
    await writeFile(file, bytes);
    return await use(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
