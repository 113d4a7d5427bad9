/**
 * One benchmark job in a fresh process (so peak RSS belongs to that job alone), end to end from
 * the file (open, read, compute), as the CLI does it:
 *   node dist/test/bench/bench-step.js JOB FILE
 * Prints one JSON line: job, refs, seconds (wall), cpuSeconds (user + system), maxRssMB, detail.
 */
import { open } from 'node:fs/promises';
import { ExactMrc } from '../../main/engine/mrc/exact.js';
import { MiniSimMrc } from '../../main/engine/mrc/minisim.js';
import { PolicySimMrc } from '../../main/engine/mrc/policy-sim.js';
import { fixedRateThreshold, ShardsMrc } from '../../main/engine/mrc/shards.js';
import { ParallelPolicySim } from '../../main/service/parallel-policy-sim.js';
import type { SweepSpec } from '../../main/engine/policy/size-sweep.js';
import type { PolicyName } from '../../main/engine/policy/policy.js';
import { releaseChunk, type RefChunk } from '../../main/engine/trace/chunk.js';
import { openTrace } from '../../main/engine/trace/index.js';
import type { TraceFormat } from '../../main/engine/trace/types.js';
import { generateWorkload } from '../../main/engine/workload/generate.js';
import { defaultSweepWorkers, runSizeSweep } from '../../main/service/size-sweep.js';
import { ExactMrcInWorker } from '../../main/service/exact-mrc-in-worker.js';

/** Reads the file in 4 MiB chunks and touches every 32-bit word at `stride` (the ids). */
async function bareRead(file: string, stride: number): Promise<string> {
  const fh = await open(file);
  const buf = Buffer.alloc(4 << 20);
  let x = 0;
  let bytes = 0;
  try {
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      bytes += bytesRead;
      const u = new Uint32Array(buf.buffer, buf.byteOffset, bytesRead >>> 2);
      for (let i = stride > 1 ? 1 : 0; i < u.length; i += stride) x ^= u[i];
    }
  } finally {
    await fh.close();
  }
  return `${bytes} bytes, xor ${x >>> 0}`;
}

/** 16 and 64 sizes spread up to the 1,000,000-page footprint. */
const SIZES_16 = Array.from({ length: 16 }, (_, k) => Math.round(1_000_000 * ((k + 1) / 16) ** 2));
const SIZES_64 = Array.from({ length: 64 }, (_, k) => Math.round(1_000_000 * ((k + 1) / 64) ** 2));

async function chunksOfFile(file: string, format: TraceFormat): Promise<AsyncIterable<RefChunk>> {
  const source = await openTrace(file, { format });
  return source.chunks();
}

/**
 * As `hclab simulate --trace FILE --sizes 100000 --policy P` does it by default: one cache, in a
 * worker thread while this thread reads the trace (defaultSweepWorkers(1) = 1).
 */
async function simulate(policy: SweepSpec['policy'], file: string): Promise<[number, string]> {
  const source = await openTrace(file, { format: 'oracleGeneral' });
  const specs = [{ policy, size: 100_000 }];
  const [r] = await runSizeSweep(source.chunks(), specs, defaultSweepWorkers(specs.length));
  return [r.references, `misses ${r.misses}, ${defaultSweepWorkers(specs.length)} worker thread`];
}

async function run(job: string, file: string): Promise<[number, string]> {
  switch (job) {
    case 'bare-read':
      return [0, await bareRead(file, 6)];
    case 'bare-read-txt':
      return [0, await bareRead(file, 1)];
    case 'trace-info': {
      // As `hclab trace info`: statistics only.
      const source = await openTrace(file, { format: 'oracleGeneral' });
      source.countOnly?.();
      for await (const _ of source.chunks()) {
        // counting is the reader's
      }
      const s = source.stats();
      return [s.references, `distinct ${s.distinctPages}`];
    }
    case 'read-txt': {
      const source = await openTrace(file, { format: 'txt' });
      for await (const _ of source.chunks()) {
        // counting is the reader's
      }
      const s = source.stats();
      return [s.references, `distinct ${s.distinctPages}`];
    }
    case 'shards':
    case 'shards-0.001': {
      const rate = job === 'shards' ? 0.01 : 0.001;
      const source = await openTrace(file, { format: 'oracleGeneral' });
      const shards = new ShardsMrc({ mode: 'fixed-rate', rate, maxSamples: 8192 });
      const fused = source.sampleByRawId?.(fixedRateThreshold(rate)) ?? false;
      for await (const chunk of source.chunks()) shards.feed(chunk);
      const miss = Math.round(shards.curve().missesAt(100_000));
      return [
        source.stats().references,
        `${fused ? 'fused, ' : ''}sampled ${shards.sampledReferences}, misses at 100,000 ${miss}`,
      ];
    }
    case 'lru':
    case 'fifo':
    case 'clock':
    case 'arc':
      return simulate(job, file);
    case 'exact': {
      // As `hclab mrc --method exact` (computeMrcReport): the pass in a worker beside the read.
      const mrc = new ExactMrcInWorker(0, 1 << 20);
      let refs = 0;
      for await (const chunk of await chunksOfFile(file, 'oracleGeneral')) {
        await mrc.feed(chunk);
        refs += chunk.length;
        releaseChunk(chunk);
      }
      const { curve } = await mrc.finish();
      return [refs, `misses at 100,000 pages ${curve.missesAt(100_000)}, 1 worker thread`];
    }
    case 'sweep-lru-10': {
      const source = await openTrace(file, { format: 'oracleGeneral' });
      const specs = Array.from({ length: 10 }, (_, i) => ({
        policy: 'lru' as const,
        size: 10_000 * (i + 1),
      }));
      const workers = defaultSweepWorkers(specs.length);
      const results = await runSizeSweep(source.chunks(), specs, workers);
      return [
        source.stats().references,
        `${workers} workers, misses at 100,000 ${results[9].misses}`,
      ];
    }
    case 'policy-lru':
    case 'policy-clock':
    case 'policy-arc':
    case 'policy-s3fifo': {
      // --method policy: 16 sizes in one pass over worker threads, against one single size.
      const name = job.slice('policy-'.length) as PolicyName;
      const t0 = performance.now();
      const one = new PolicySimMrc(name, [SIZES_16[8]]);
      for await (const chunk of await chunksOfFile(file, 'oracleGeneral')) one.feed(chunk);
      const single = (performance.now() - t0) / 1000;
      const t1 = performance.now();
      const all = new ParallelPolicySim(name, SIZES_16);
      let refs = 0;
      for await (const chunk of await chunksOfFile(file, 'oracleGeneral')) {
        all.feed(chunk);
        refs += chunk.length;
      }
      await all.curve();
      const sixteen = (performance.now() - t1) / 1000;
      return [
        refs,
        `16 sizes ${sixteen.toFixed(2)} s on ${all.threads} worker threads, one size ${single.toFixed(2)} s, ratio to 16 × one ${(sixteen / (16 * single)).toFixed(2)} (wall time includes the one-size run)`,
      ];
    }
    case 'minisim': {
      // As `hclab mrc --method minisim --sizes …`: minisim alone, so the reader samples by raw id.
      const m = new MiniSimMrc('lru', SIZES_64, { rate: 0.01 });
      const source = await openTrace(file, { format: 'oracleGeneral' });
      const t = m.readerThreshold;
      const fused = t !== null && (source.sampleByRawId?.(t) ?? false);
      for await (const chunk of source.chunks()) m.feed(chunk);
      const miss = Math.round(m.curve().missesAt(SIZES_64[40]));
      return [
        source.stats().references,
        `${fused ? 'fused, ' : ''}lru, 64 sizes, R = 0.01, sampled ${m.sampledReferences}, misses at ${SIZES_64[40]} ${miss}`,
      ];
    }
    case 'exact-scale': {
      // 1 B references, 50 M distinct pages, streamed from the generator (no file).
      const refs = 1_000_000_000;
      const pages = 50_000_000;
      const mrc = new ExactMrc(0, pages);
      for (const chunk of generateWorkload(
        { kind: 'zipf', pages, alpha: 0.8, refs, seed: 7 },
        1 << 20,
      ))
        mrc.feed(chunk);
      return [refs, `distinct ${mrc.distinct}, misses at 10 M ${mrc.curve().missesAt(1e7)}`];
    }
    default:
      throw new Error(`unknown job ${job}`);
  }
}

async function main(): Promise<void> {
  const [job, file] = process.argv.slice(2);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const [refs, detail] = await run(job, file);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ job, refs, seconds, cpuSeconds, maxRssMB, detail }) + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exitCode = 1;
});
