/**
 * `npm run bench`: speed figures (not assertions). Generates a 10,000,000-record Zipf(1.0)
 * trace over 1,000,000 objects (seed 42) as libCacheSim oracleGeneral (and the same ids as txt),
 * then runs each job end to end (open, read, compute) in its own process, three times, and prints
 * the median wall time, references per second, peak RSS, the bare read of the same file (4 MiB
 * chunks touching every id) and the ratio to it. Each run of a job is paired with a bare read
 * right before it, and the ratio is the median of the pairs' ratios, so a machine whose speed
 * drifts during the bench (shared hosts do) skews job and reference alike. The same for CPU
 * time (user + system), which is what to read on a loaded machine; targets are checked on wall
 * time (the issue's measure).
 * `npm run bench -- --scale` adds the exact MRC of a streamed 1 B-reference / 50 M-page workload;
 * `--runs N` runs each job N times (default 3); `--cachesim PATH` adds HCLab's CLI side by side with
 * libCacheSim's cachesim binary at PATH (see peer.ts).
 */
import { execFileSync } from 'node:child_process';
import {
  accessSync,
  closeSync,
  constants,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateWorkload } from '../../main/engine/workload/generate.js';
import { comparePeer } from './peer.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const REFS = 10_000_000;
const PAGES = 1_000_000;
/** Stops with one line on stderr (a bad option of the bench itself). */
function usage(message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

/** The value after `flag` on the command line, or undefined when the flag is absent. */
function option(flag: string): string | undefined {
  const at = process.argv.indexOf(flag);
  if (at < 0) return undefined;
  const value = process.argv[at + 1];
  if (value === undefined || value.startsWith('--')) usage(`${flag} needs a value`);
  return value;
}

const runsText = option('--runs');
const RUNS = runsText === undefined ? 3 : Number(runsText);
if (!Number.isInteger(RUNS) || RUNS < 1 || RUNS > 100)
  usage(`--runs: expected a whole number from 1 to 100, got '${runsText}'`);

/** `--cachesim PATH`, checked before the bench spends minutes: an executable file. */
const cachesimText = option('--cachesim');
const CACHESIM = cachesimText === undefined ? undefined : path.resolve(cachesimText);
if (CACHESIM !== undefined) {
  try {
    if (!statSync(CACHESIM).isFile()) throw new Error('not a file');
    accessSync(CACHESIM, constants.X_OK);
  } catch {
    usage(`--cachesim: expected libCacheSim's cachesim executable, got '${cachesimText}'`);
  }
}

interface StepResult {
  job: string;
  refs: number;
  seconds: number;
  cpuSeconds: number;
  maxRssMB: number;
  detail: string;
}

interface Job {
  job: string;
  label: string;
  /** bin/txt: the 10 M-record trace; big: the 100 M-record one (--scale); none: generated. */
  file: 'bin' | 'txt' | 'big' | 'none';
  maxRssMB?: number;
  /** A peer tool's figure for the same job (from issue 12's measurements), for the detail. */
  reference?: string;
  /** Largest ratio to the bare read. */
  maxRatio?: number;
  maxSeconds?: number;
  minRefsPerSec?: number;
}

const JOBS: Job[] = [
  {
    job: 'trace-info',
    label: 'trace info (read + dense ids), oracleGeneral',
    file: 'bin',
    maxRatio: 4,
  },
  { job: 'shards', label: 'SHARDS R = 0.01, oracleGeneral', file: 'bin', maxRatio: 3 },
  { job: 'lru', label: 'LRU at 100,000 pages, oracleGeneral', file: 'bin', maxRatio: 10 },
  { job: 'fifo', label: 'FIFO at 100,000 pages, oracleGeneral', file: 'bin', maxRatio: 10 },
  { job: 'clock', label: 'CLOCK at 100,000 pages, oracleGeneral', file: 'bin', maxRatio: 10 },
  { job: 'arc', label: 'ARC at 100,000 pages, oracleGeneral', file: 'bin', maxRatio: 10 },
  { job: 'exact', label: 'exact MRC, oracleGeneral', file: 'bin', maxSeconds: 1.5 },
  {
    job: 'sweep-lru-10',
    label: 'simulate --sizes 10k..100k (10) --policy lru, oracleGeneral',
    file: 'bin',
    maxSeconds: 6.5,
  },
  { job: 'policy-lru', label: '--method policy, lru, 16 sizes', file: 'bin' },
  { job: 'policy-clock', label: '--method policy, clock, 16 sizes', file: 'bin' },
  { job: 'policy-arc', label: '--method policy, arc, 16 sizes', file: 'bin' },
  { job: 'policy-s3fifo', label: '--method policy, s3fifo, 16 sizes', file: 'bin' },
  { job: 'minisim', label: 'minisim lru, R = 0.01, 64 sizes', file: 'bin', minRefsPerSec: 20e6 },
  { job: 'read-txt', label: 'read txt (parse + dense ids)', file: 'txt', minRefsPerSec: 17e6 },
];

/** `--scale`: 100 M records over 10 M objects (about 7.2 M distinct), and 1 B streamed. */
const BIG_REFS = 100_000_000;
const BIG_PAGES = 10_000_000;
const SCALE_JOBS: Job[] = [
  {
    job: 'exact',
    label: 'exact MRC, 100 M refs, oracleGeneral',
    file: 'big',
    maxSeconds: 30,
    maxRssMB: 700,
    reference: 'libCacheSim exact LRU profiler 264 s, 3.1 GiB',
  },
  {
    job: 'shards-0.001',
    label: 'SHARDS R = 0.001, 100 M refs, oracleGeneral',
    file: 'big',
    maxSeconds: 2 * 0.58,
    reference: 'libCacheSim mrcProfiler 0.58 s; target 2× that',
  },
  {
    job: 'exact-scale',
    label: 'exact MRC, 1 B refs / 50 M pages, generated',
    file: 'none',
  },
];

/** Writes a Zipf(1.0) trace as oracleGeneral (and as txt unless `txt` is null); returns seconds. */
function writeTraces(bin: string, txt: string | null, refs = REFS, pages = PAGES): number {
  const t0 = performance.now();
  const fb = openSync(bin, 'w');
  const ft = txt === null ? null : openSync(txt, 'w');
  let i = 0;
  for (const chunk of generateWorkload(
    { kind: 'zipf', pages, alpha: 1.0, refs, seed: 42 },
    1 << 18,
  )) {
    const buf = Buffer.alloc(chunk.length * 24);
    const lines: string[] = new Array<string>(chunk.length);
    for (let k = 0; k < chunk.length; k++, i++) {
      const at = k * 24;
      buf.writeUInt32LE(Math.floor(i / 1000), at); // clock_time s
      buf.writeUInt32LE(chunk.pages[k], at + 4); // obj_id lo
      buf.writeUInt32LE(0, at + 8); // obj_id hi
      buf.writeUInt32LE(4096, at + 12); // obj_size
      buf.writeInt32LE(-1, at + 16); // next_access_vtime
      buf.writeInt32LE(-1, at + 20);
      if (ft !== null) lines[k] = String(chunk.pages[k]);
    }
    writeSync(fb, buf);
    if (ft !== null) writeSync(ft, lines.join('\n') + '\n');
  }
  closeSync(fb);
  if (ft !== null) closeSync(ft);
  return (performance.now() - t0) / 1000;
}

function step(job: string, file: string): StepResult {
  const json = execFileSync(process.execPath, [path.join(here, 'bench-step.js'), job, file], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(json) as StepResult;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median wall and CPU times of several runs; the largest peak RSS. */
function summary(rs: StepResult[]): StepResult {
  return {
    ...rs[0],
    seconds: median(rs.map((r) => r.seconds)),
    cpuSeconds: median(rs.map((r) => r.cpuSeconds)),
    maxRssMB: Math.max(...rs.map((r) => r.maxRssMB)),
  };
}

function measure(job: string, file: string, runs = RUNS): StepResult {
  return summary(Array.from({ length: runs }, () => step(job, file)));
}

interface Paired {
  job: StepResult;
  bare: StepResult;
  /** Medians of the per-run ratios job ÷ bare read (wall, CPU). */
  ratio: number;
  cpuRatio: number;
}

/** Runs the job `runs` times, each right after a bare read of the same file. */
function measurePaired(job: string, file: string, bareJob: string, runs: number): Paired {
  const jobs: StepResult[] = [];
  const bares: StepResult[] = [];
  for (let i = 0; i < runs; i++) {
    bares.push(step(bareJob, file));
    jobs.push(step(job, file));
  }
  return {
    job: summary(jobs),
    bare: summary(bares),
    ratio: median(jobs.map((r, i) => r.seconds / bares[i].seconds)),
    cpuRatio: median(jobs.map((r, i) => r.cpuSeconds / bares[i].cpuSeconds)),
  };
}

function main(): void {
  const scale = process.argv.includes('--scale');
  const dir = mkdtempSync(path.join(tmpdir(), 'hclab-bench-'));
  const bin = path.join(dir, 'zipf-10m.oracleGeneral.bin');
  const txt = path.join(dir, 'zipf-10m.txt');
  const big = path.join(dir, 'zipf-100m.oracleGeneral.bin');
  try {
    console.log(
      `HCLab benchmark — node ${process.version}, ${cpus().length} cores, ${cpus()[0]?.model ?? ''}, ` +
        `load average ${loadavg()
          .map((x) => x.toFixed(2))
          .join(' ')}`,
    );
    const gen = writeTraces(bin, txt);
    console.log(
      `trace: ${REFS.toLocaleString('en-US')} Zipf(1.0) records over ${PAGES.toLocaleString('en-US')} objects, seed 42: ` +
        `${(statSync(bin).size / 2 ** 20).toFixed(1)} MiB oracleGeneral, ${(statSync(txt).size / 2 ** 20).toFixed(1)} MiB txt ` +
        `(written in ${gen.toFixed(2)} s); median of ${RUNS} runs per job, each in its own process ` +
        `right after a bare read of the same file (ratio: median of the pairs' ratios)\n`,
    );
    if (scale) {
      const t = writeTraces(big, null, BIG_REFS, BIG_PAGES);
      console.log(
        `--scale: ${BIG_REFS.toLocaleString('en-US')} Zipf(1.0) records over ${BIG_PAGES.toLocaleString('en-US')} objects, ` +
          `${(statSync(big).size / 2 ** 30).toFixed(2)} GiB oracleGeneral (written in ${t.toFixed(1)} s); ` +
          `then the exact MRC of 1 B references over 50 M pages streamed from the generator (one run)\n`,
      );
    }
    const bareBin = measure('bare-read', bin);
    const bareTxt = measure('bare-read-txt', txt);
    const bareBig = scale ? measure('bare-read', big) : undefined;
    const rows: string[][] = [
      [
        'job',
        'wall s',
        'M refs/s',
        'peak RSS MB',
        'bare wall s',
        'ratio',
        'CPU s',
        'bare CPU s',
        'CPU ratio',
        'target',
        '',
        'detail',
      ],
    ];
    const jobs = scale ? [...JOBS, ...SCALE_JOBS] : JOBS;
    for (const j of jobs) {
      const file = { bin, txt, big, none: 'none' }[j.file];
      const runs = j.file === 'none' ? 1 : RUNS;
      process.stderr.write(`${j.label}: ${runs} run${runs > 1 ? 's' : ''}…\n`);
      const bareJob = j.file === 'txt' ? 'bare-read-txt' : 'bare-read';
      const paired = j.file === 'none' ? null : measurePaired(j.job, file, bareJob, runs);
      const r = paired === null ? measure(j.job, file, runs) : paired.job;
      const b = paired?.bare ?? null;
      const ratio = paired?.ratio ?? null;
      const cpuRatio = paired?.cpuRatio ?? null;
      const refsPerSec = r.refs / r.seconds;
      const targets: string[] = [];
      let ok = true;
      let cpuOk = true;
      if (j.maxRatio !== undefined && ratio !== null && cpuRatio !== null) {
        targets.push(`≤ ${j.maxRatio}× bare`);
        ok &&= ratio <= j.maxRatio;
        cpuOk &&= cpuRatio <= j.maxRatio;
      }
      if (j.maxSeconds !== undefined) {
        targets.push(`≤ ${j.maxSeconds} s`);
        ok &&= r.seconds <= j.maxSeconds;
        cpuOk &&= r.cpuSeconds <= j.maxSeconds;
      }
      if (j.maxRssMB !== undefined) {
        targets.push(`RSS ≤ ${j.maxRssMB} MB`);
        ok &&= r.maxRssMB <= j.maxRssMB;
        cpuOk &&= r.maxRssMB <= j.maxRssMB;
      }
      if (j.minRefsPerSec !== undefined) {
        targets.push(`≥ ${j.minRefsPerSec / 1e6} M/s`);
        ok &&= refsPerSec >= j.minRefsPerSec;
        cpuOk &&= r.refs / r.cpuSeconds >= j.minRefsPerSec;
      }
      rows.push([
        j.label,
        r.seconds.toFixed(3),
        (refsPerSec / 1e6).toFixed(1),
        r.maxRssMB.toFixed(0),
        b === null ? '—' : b.seconds.toFixed(3),
        ratio === null ? '—' : `${ratio.toFixed(2)}×`,
        r.cpuSeconds.toFixed(3),
        b === null ? '—' : b.cpuSeconds.toFixed(3),
        cpuRatio === null ? '—' : `${cpuRatio.toFixed(2)}×`,
        targets.join(', ') || '—',
        targets.length === 0
          ? ''
          : `wall ${ok ? 'met' : 'MISSED'}, CPU ${cpuOk ? 'met' : 'MISSED'}`,
        j.reference === undefined ? r.detail : `${r.detail}; ${j.reference}`,
      ]);
    }
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    for (const r of rows)
      console.log(
        r
          .map((cell, c) => cell.padEnd(widths[c]))
          .join('  ')
          .trimEnd(),
      );
    console.log(
      `\nbare reads at the start: oracleGeneral ${bareBin.seconds.toFixed(3)} s (${bareBin.detail}); txt ${bareTxt.seconds.toFixed(3)} s` +
        (bareBig === undefined ? '' : `; 100 M oracleGeneral ${bareBig.seconds.toFixed(3)} s`) +
        '; ' +
        `load average after ${loadavg()
          .map((x) => x.toFixed(2))
          .join(' ')}`,
    );
    if (CACHESIM !== undefined) comparePeer(CACHESIM, bin, RUNS);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
