/** Shared helpers of the trace reader tests. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readTraceToMemory, type TraceReadOptions } from '../../../main/engine/trace/index.js';

const here = fileURLToPath(new URL('.', import.meta.url));
/** The repository root (this file is test/unit/trace/helpers.ts). */
export const REPO_ROOT = resolve(here, '../../..');
export { haveTestTraces, sampleTrace, testTrace } from '../../support/test-traces.js';

/** A temporary directory for golden files; `cleanup` removes it. */
export function tempDir(): {
  dir: string;
  write(name: string, data: string | Uint8Array): string;
  cleanup(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'hclab-trace-'));
  return {
    dir,
    write(name, data) {
      const path = join(dir, name);
      writeFileSync(path, data);
      return path;
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Reads a trace and returns plain arrays for easy comparison. */
export async function readPlain(path: string, options: TraceReadOptions = {}) {
  const { trace, stats } = await readTraceToMemory(path, options);
  return {
    pages: Array.from(trace.pages),
    ops: Array.from(trace.ops),
    times: trace.times === null ? null : Array.from(trace.times),
    stats,
    trace,
  };
}

/** Dense ids (0.. in order of first appearance) of any sequence of keys. */
export function densify(keys: ArrayLike<unknown>): number[] {
  const ids = new Map<unknown, number>();
  return Array.from(keys, (k) => {
    let id = ids.get(k);
    if (id === undefined) ids.set(k, (id = ids.size));
    return id;
  });
}

/** Little-endian binary record builder. */
export class Bin {
  private bytes: number[] = [];
  u16(v: number): this {
    this.bytes.push(v & 0xff, (v >>> 8) & 0xff);
    return this;
  }
  u32(v: number): this {
    for (let k = 0; k < 4; k++) this.bytes.push(Math.floor(v / 2 ** (8 * k)) & 0xff);
    return this;
  }
  u64(v: bigint): this {
    const x = BigInt.asUintN(64, v);
    return this.u32(Number(x & 0xffffffffn)).u32(Number(x >> 32n));
  }
  build(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}
