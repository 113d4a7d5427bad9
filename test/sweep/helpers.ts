/** Sweep test fixtures: small MSR-format volumes and sweep files in a temp folder. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/** mulberry32: a small seeded PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Writes `volumes/NAME.csv.gz` MSR Cambridge volumes (Timestamp,Hostname,DiskNumber,Type,Offset,
 * Size,ResponseTime; timestamps in 100 ns ticks) with `requests` 4 KiB requests each.
 */
export function writeVolumes(dir: string, names: string[], requests: number): string[] {
  const vols = path.join(dir, 'volumes');
  mkdirSync(vols, { recursive: true });
  return names.map((name, v) => {
    const random = prng(1000 + v);
    const lines: string[] = [];
    for (let i = 0; i < requests; i++) {
      const page = Math.floor(random() ** 2 * 3000);
      const op = random() < 0.3 ? 'Write' : 'Read';
      lines.push(
        `${128166372000000000n + BigInt(i) * 10000n},${name},0,${op},${page * 4096},4096,100`,
      );
    }
    const file = path.join(vols, `${name}.csv.gz`);
    writeFileSync(file, gzipSync(lines.join('\n') + '\n'));
    return file;
  });
}

/** The form of the issue, verbatim. */
export const ISSUE_SWEEP = `name: small-grid
traces: [{ path: volumes/*.csv.gz, format: msr }]
workloads: ["zipf:pages=5000,refs=100000,seed=1", "preset:tpcc,pages=4000,refs=80000"]
policies: [lru, clock]
guestPages: [500, 1000]
hvPages: [0, 500]
ghostPages: [1000]
methods: [exact, hypervisor, esx]
seeds: [1, 2]
`;
