import type { VmMemoryConfig } from './config.js';
import { checkpoint, throwIfCancelled, type RunControl } from './control.js';
import type { RefChunk } from './trace/chunk.js';
import { VmSimulator, type RecorderSelection, type VmOptions, type VmResult } from './vm.js';

export type { RecorderSelection, VmCurves, VmOptions, VmResult } from './vm.js';
export type { VmStats } from './hypervisor/stats.js';

/** A workload: chunks of references, produced synchronously or asynchronously. */
export type ChunkSource = Iterable<RefChunk> | AsyncIterable<RefChunk>;

export interface HostVmSpec {
  name: string;
  memory: VmMemoryConfig;
  workload: ChunkSource;
  recorders?: RecorderSelection;
  /** References the workload will produce, when known (for progress). */
  expectedRefs?: number;
  /** Distinct pages expected (sizing hint only). */
  expectedPages?: number;
  policyOptions?: VmOptions['policyOptions'];
}

export interface HostResult {
  vms: VmResult[];
  /** References simulated over all VMs (warm-up included). */
  references: number;
}

interface Cursor {
  sim: VmSimulator;
  iter: Iterator<RefChunk> | AsyncIterator<RefChunk>;
  chunk: RefChunk | null;
  pos: number;
}

/**
 * Several VMs on one host (DESIGN.md §2). Each VM has its own guest memory, hypervisor exclusive
 * cache and recorders. References are interleaved by simulated time: the VM whose next reference
 * is earliest runs until another VM's next reference is earlier (ties go to the lower VM index);
 * untimed VMs use reference index / untimedRate. Pure: no I/O. `control.signal` is checked
 * between chunks, and progress (references done, total when every VM's `expectedRefs` is known)
 * is reported after each chunk.
 */
export async function simulateHost(specs: HostVmSpec[], control?: RunControl): Promise<HostResult> {
  const total = specs.every((s) => s.expectedRefs !== undefined)
    ? specs.reduce((a, s) => a + (s.expectedRefs ?? 0), 0)
    : undefined;
  const cursors: Cursor[] = specs.map((s) => ({
    sim: new VmSimulator(s.memory, {
      name: s.name,
      recorders: s.recorders,
      expectedPages: s.expectedPages,
      policyOptions: s.policyOptions,
    }),
    iter: iteratorOf(s.workload),
    chunk: null,
    pos: 0,
  }));
  let done = 0;
  for (const c of cursors) await nextChunk(c, control);
  while (true) {
    // The earliest VM and the earliest time among the others.
    let best = -1;
    let bestT = Number.POSITIVE_INFINITY;
    let other = -1;
    let otherT = Number.POSITIVE_INFINITY;
    for (let i = 0; i < cursors.length; i++) {
      const c = cursors[i];
      if (c.chunk === null) continue;
      const t = c.sim.timeOf(c.chunk, c.pos, 0);
      if (best < 0 || t < bestT) {
        other = best;
        otherT = bestT;
        best = i;
        bestT = t;
      } else if (other < 0 || t < otherT) {
        other = i;
        otherT = t;
      }
    }
    if (best < 0) break;
    const c = cursors[best];
    const chunk = c.chunk as RefChunk;
    let end = chunk.length;
    if (other >= 0) {
      const tiesToBest = best < other;
      end = c.pos + 1;
      while (end < chunk.length) {
        const t = c.sim.timeOf(chunk, end, end - c.pos);
        if (t < otherT || (t === otherT && tiesToBest)) end++;
        else break;
      }
    }
    c.sim.run(chunk, c.pos, end);
    done += end - c.pos;
    c.pos = end;
    if (c.pos >= chunk.length) {
      control?.onProgress?.(done, total);
      await nextChunk(c, control);
    }
  }
  control?.onProgress?.(done, total);
  return { vms: cursors.map((c) => c.sim.result()), references: done };
}

export interface SimulateVmOptions extends VmOptions {
  expectedRefs?: number;
  control?: RunControl;
}

/** One VM alone (the CLI's entry point): its guest memory, hypervisor cache and recorders. */
export async function simulateVm(
  config: VmMemoryConfig,
  chunks: ChunkSource,
  options: SimulateVmOptions = {},
): Promise<VmResult> {
  const { control, expectedRefs, name, ...rest } = options;
  const result = await simulateHost(
    [{ name: name ?? 'vm', memory: config, workload: chunks, expectedRefs, ...rest }],
    control,
  );
  return result.vms[0];
}

/** Synchronous {@link simulateVm} for in-memory chunks (tests, benchmarks, worker threads). */
export function simulateVmSync(
  config: VmMemoryConfig,
  chunks: Iterable<RefChunk>,
  options: SimulateVmOptions = {},
): VmResult {
  const { control, expectedRefs, ...rest } = options;
  const sim = new VmSimulator(config, rest);
  for (const chunk of chunks) {
    throwIfCancelled(control);
    sim.beginChunk(chunk);
    sim.run(chunk, 0, chunk.length);
    control?.onProgress?.(sim.referencesSeen, expectedRefs);
  }
  return sim.result();
}

function iteratorOf(source: ChunkSource): Iterator<RefChunk> | AsyncIterator<RefChunk> {
  if (Symbol.asyncIterator in source) return source[Symbol.asyncIterator]();
  return source[Symbol.iterator]();
}

async function nextChunk(c: Cursor, control: RunControl | undefined): Promise<void> {
  await checkpoint(control);
  while (true) {
    const r = await c.iter.next();
    if (r.done) {
      c.chunk = null;
      return;
    }
    if (r.value.length > 0) {
      c.chunk = r.value;
      c.pos = 0;
      c.sim.beginChunk(r.value);
      return;
    }
  }
}
