/**
 * How a result was made, beyond the experiment and VM snapshot a run keeps: the HCLab version
 * that computed it and the identity (path, size, sha256) of the trace it read.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface TraceIdentity {
  /** The path as the VM names it (relative to the project, or `embedded:ID`). */
  path: string;
  /** The embedded trace's original file name (embedded traces only). */
  fileName?: string;
  bytes: number;
  sha256: string;
}

export interface Provenance {
  hclabVersion: string;
  trace?: TraceIdentity;
}

let version: string | null = null;

/** The `version` of HCLab's package.json (found from this module, in sources or in dist/). */
export function hclabVersion(): string {
  if (version !== null) return version;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'hclab' && typeof pkg.version === 'string') return (version = pkg.version);
    }
    const up = path.dirname(dir);
    if (up === dir) return (version = 'unknown');
    dir = up;
  }
}

export function sha256Bytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** sha256 and size of a file, streamed. */
export async function sha256File(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}
