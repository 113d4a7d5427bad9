/**
 * One benchmark step in a fresh process (so peak RSS belongs to that step alone):
 *   node dist/test/bench/bench-step.js STEP TRACE.txt
 * Reads the trace into memory, then times only the computation. Prints one JSON line.
 */
import { vmMemoryConfig } from '../../main/engine/config.js';
import { simulateVmSync } from '../../main/engine/host.js';
import { ExactMrc } from '../../main/engine/mrc/exact.js';
import { MiniSimMrc } from '../../main/engine/mrc/minisim.js';
import { PolicySimMrc } from '../../main/engine/mrc/policy-sim.js';
import { ParallelPolicySim } from '../../main/service/parallel-policy-sim.js';
import { ShardsMrc } from '../../main/engine/mrc/shards.js';
import { createPolicy } from '../../main/engine/policy/create-policy.js';
import { chunksOf, type InMemoryTrace } from '../../main/engine/trace/chunk.js';
import { readTraceToMemory } from '../../main/engine/trace/index.js';

type Step =
  | 'read-txt'
  | 'lru'
  | 'exact'
  | 'hypervisor'
  | 'shards'
  | 'policy-lru'
  | 'policy-clock'
  | 'policy-arc'
  | 'policy-s3fifo'
  | 'minisim';

/** 16 and 64 sizes spread up to the 1,000,000-page footprint. */
const SIZES_16 = Array.from({ length: 16 }, (_, k) => Math.round(1_000_000 * ((k + 1) / 16) ** 2));
const SIZES_64 = Array.from({ length: 64 }, (_, k) => Math.round(1_000_000 * ((k + 1) / 64) ** 2));

async function main(): Promise<void> {
  const [step, file] = process.argv.slice(2) as [Step, string];
  const t0 = performance.now();
  const { trace } = await readTraceToMemory(file, { format: 'txt' });
  const readSeconds = (performance.now() - t0) / 1000;
  const n = trace.pages.length;
  let seconds = readSeconds;
  let detail = '';
  if (step !== 'read-txt') {
    const t1 = performance.now();
    detail = await run(step, trace);
    seconds = (performance.now() - t1) / 1000;
  }
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(
    JSON.stringify({ step, refs: n, seconds, refsPerSec: n / seconds, maxRssMB, detail }) + '\n',
  );
}

async function run(step: Exclude<Step, 'read-txt'>, trace: InMemoryTrace): Promise<string> {
  const pages = trace.pages;
  const n = pages.length;
  switch (step) {
    case 'lru': {
      const lru = createPolicy('lru', 100_000);
      let misses = 0;
      for (let i = 0; i < n; i++) {
        const p = pages[i];
        if (!lru.access(p, i)) {
          misses++;
          lru.insert(p, i);
        }
      }
      return `misses ${misses}`;
    }
    case 'exact': {
      const mrc = new ExactMrc(0, trace.distinct);
      for (const chunk of chunksOf(trace)) mrc.feed(chunk);
      const c = mrc.curve();
      return `misses at 100,000 pages ${c.missesAt(100_000)}`;
    }
    case 'hypervisor': {
      const r = simulateVmSync(
        vmMemoryConfig({ guestPages: 50_000, hypervisor: { pages: 50_000 } }),
        chunksOf(trace),
      );
      return `disk reads ${r.stats.diskReads}, hv hits ${r.stats.hvHits}`;
    }
    case 'policy-lru':
    case 'policy-clock':
    case 'policy-arc':
    case 'policy-s3fifo': {
      const name = step.slice('policy-'.length) as 'lru' | 'clock' | 'arc' | 's3fifo';
      const t0 = performance.now();
      const one = new PolicySimMrc(name, [SIZES_16[8]]);
      for (const chunk of chunksOf(trace)) one.feed(chunk);
      const single = (performance.now() - t0) / 1000;
      const t1 = performance.now();
      const all = new ParallelPolicySim(name, SIZES_16);
      for (const chunk of chunksOf(trace)) all.feed(chunk);
      await all.curve();
      const sixteen = (performance.now() - t1) / 1000;
      return `16 sizes ${sixteen.toFixed(2)} s on ${all.threads} worker threads (${((n * 16) / sixteen / 1e6).toFixed(1)} M size-refs/s), one size ${single.toFixed(2)} s, ratio to 16 × one ${(sixteen / (16 * single)).toFixed(2)}`;
    }
    case 'minisim': {
      const m = new MiniSimMrc('lru', SIZES_64, { rate: 0.01 });
      for (const chunk of chunksOf(trace)) m.feed(chunk);
      return `lru, 64 sizes, R = 0.01, sampled ${m.sampledReferences}`;
    }
    case 'shards': {
      const s = new ShardsMrc({ mode: 'fixed-rate', rate: 0.01, maxSamples: 8192 });
      for (const chunk of chunksOf(trace)) s.feed(chunk);
      return `sampled ${s.sampledReferences}, misses at 100,000 pages ${Math.round(s.curve().missesAt(100_000))}`;
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exitCode = 1;
});
