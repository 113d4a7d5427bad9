/**
 * `npm run bench -- --cachesim PATH`: HCLab's CLI side by side with libCacheSim's cachesim (a
 * binary the user built; nothing is fetched) on the bench's oracleGeneral file. Each run starts
 * both as child processes, one after the other, and times them the same way (process start to
 * exit, so Node's start-up counts against HCLab); the ratio is the median of the runs' ratios.
 * The miss ratios must agree (cachesim prints four decimals), or the line says they do not.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.join(here, '../../main/cli/hclab.js');

interface PeerJob {
  label: string;
  policy: 'lru' | 'fifo' | 'clock' | 'arc';
  sizes: number[];
  /** Largest ratio HCLab ÷ cachesim (issue 12). */
  maxRatio: number;
}

const TEN_SIZES = Array.from({ length: 10 }, (_, i) => 10_000 * (i + 1));
const PEER_JOBS: PeerJob[] = [
  { label: 'LRU at 100,000 pages', policy: 'lru', sizes: [100_000], maxRatio: 0.8 },
  { label: 'FIFO at 100,000 pages', policy: 'fifo', sizes: [100_000], maxRatio: 0.8 },
  { label: 'CLOCK at 100,000 pages', policy: 'clock', sizes: [100_000], maxRatio: 0.8 },
  { label: 'ARC at 100,000 pages', policy: 'arc', sizes: [100_000], maxRatio: 0.8 },
  { label: 'LRU at 10k..100k (10 sizes)', policy: 'lru', sizes: TEN_SIZES, maxRatio: 1 / 3 },
];

function timed(run: () => string): [number, string] {
  const t0 = performance.now();
  const out = run();
  return [(performance.now() - t0) / 1000, out];
}

function hclab(file: string, job: PeerJob): [number, number[]] {
  const [s, out] = timed(() =>
    execFileSync(
      process.execPath,
      [
        CLI,
        'simulate',
        '--trace',
        file,
        '--format',
        'oracleGeneral',
        '--sizes',
        job.sizes.join(','),
        '--policy',
        job.policy,
        '--json',
      ],
      { encoding: 'utf8', maxBuffer: 1 << 20 },
    ),
  );
  const caches = (JSON.parse(out) as { caches: { missRatio: number }[] }).caches;
  return [s, caches.map((c) => c.missRatio)];
}

function cachesim(bin: string, file: string, job: PeerJob, cwd: string): [number, number[]] {
  const [s, out] = timed(() =>
    execFileSync(
      bin,
      [file, 'oracleGeneral', job.policy, job.sizes.join(','), '--ignore-obj-size', '1'],
      // cachesim writes a result/ folder into its working directory with several sizes.
      { encoding: 'utf8', maxBuffer: 1 << 22, cwd, stdio: ['ignore', 'pipe', 'pipe'] },
    ),
  );
  const ratios = [...out.matchAll(/(?<!byte )miss ratio ([0-9.]+)/g)].map((m) => Number(m[1]));
  return [s, ratios];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Prints the side-by-side table for `file` (the bench's 10 M-record oracleGeneral trace). */
export function comparePeer(bin: string, file: string, runs: number): void {
  const cwd = mkdtempSync(path.join(tmpdir(), 'hclab-cachesim-'));
  try {
    const rows: string[][] = [
      [
        'job (end to end, child process)',
        'HCLab s',
        'cachesim s',
        'ratio',
        'target',
        '',
        'miss ratios',
      ],
    ];
    for (const job of PEER_JOBS) {
      process.stderr.write(`vs cachesim, ${job.label}: ${runs} runs…\n`);
      const ours: number[] = [];
      const theirs: number[] = [];
      let agree = true;
      for (let i = 0; i < runs; i++) {
        const [s1, m1] = hclab(file, job);
        const [s2, m2] = cachesim(bin, file, job, cwd);
        ours.push(s1);
        theirs.push(s2);
        agree &&= m1.length === m2.length && m1.every((m, k) => Math.abs(m - m2[k]) <= 5e-5);
      }
      const ratio = median(ours.map((s, i) => s / theirs[i]));
      rows.push([
        job.label,
        median(ours).toFixed(3),
        median(theirs).toFixed(3),
        `${ratio.toFixed(2)}×`,
        `≤ ${job.maxRatio.toFixed(2)}×`,
        ratio <= job.maxRatio ? 'met' : 'MISSED',
        agree ? 'agree' : 'DIFFER',
      ]);
    }
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    console.log(`\nside by side with ${bin} (median of ${runs} alternating runs)`);
    for (const r of rows)
      console.log(
        r
          .map((cell, c) => cell.padEnd(widths[c]))
          .join('  ')
          .trimEnd(),
      );
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}
