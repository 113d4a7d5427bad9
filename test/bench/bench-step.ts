/**
 * One benchmark step in a fresh process (so peak RSS belongs to that step alone):
 *   node dist/test/bench/bench-step.js STEP TRACE.txt
 * Reads the trace into memory, then times only the computation. Prints one JSON line.
 */
import { vmMemoryConfig } from '../../main/engine/config.js';
import { simulateVmSync } from '../../main/engine/host.js';
import { ExactMrc } from '../../main/engine/mrc/exact.js';
import { ShardsMrc } from '../../main/engine/mrc/shards.js';
import { createPolicy } from '../../main/engine/policy/create-policy.js';
import { chunksOf, type InMemoryTrace } from '../../main/engine/trace/chunk.js';
import { readTraceToMemory } from '../../main/engine/trace/index.js';

type Step = 'read-txt' | 'lru' | 'exact' | 'hypervisor' | 'shards';

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
    detail = run(step, trace);
    seconds = (performance.now() - t1) / 1000;
  }
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(
    JSON.stringify({ step, refs: n, seconds, refsPerSec: n / seconds, maxRssMB, detail }) + '\n',
  );
}

function run(step: Exclude<Step, 'read-txt'>, trace: InMemoryTrace): string {
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
