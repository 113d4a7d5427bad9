import { describe, expect, it } from 'vitest';
import { vmMemoryConfig, type VmMemoryConfig } from '../../../main/engine/config.js';
import { CancelledError } from '../../../main/engine/control.js';
import {
  simulateHost,
  simulateVm,
  simulateVmSync,
  type HostVmSpec,
} from '../../../main/engine/host.js';
import {
  chunksOf,
  OP_READ,
  OP_WRITE,
  type InMemoryTrace,
  type RefChunk,
} from '../../../main/engine/trace/chunk.js';
import { Rng } from '../../../main/engine/util/rng.js';

/** A timed (rate given) or untimed trace of skewed references with some writes. */
function workload(seed: number, n: number, distinct: number, rate?: number, t0 = 0): InMemoryTrace {
  const rng = new Rng(seed);
  const pages = new Int32Array(n);
  const ops = new Uint8Array(n);
  const times = rate === undefined ? null : new Float64Array(n);
  let t = t0;
  for (let i = 0; i < n; i++) {
    const u = rng.next();
    pages[i] = Math.min(distinct - 1, Math.floor(distinct * u * u));
    ops[i] = rng.next() < 0.2 ? OP_WRITE : OP_READ;
    if (times !== null && rate !== undefined) times[i] = t += rng.exponential(rate);
  }
  return { pages, ops, times, distinct };
}

async function* asAsync(chunks: Iterable<RefChunk>): AsyncGenerator<RefChunk> {
  for (const c of chunks) {
    await Promise.resolve();
    yield c;
  }
}

function* tracked(name: string, log: string[], chunks: Iterable<RefChunk>): Generator<RefChunk> {
  for (const c of chunks) {
    log.push(name);
    yield c;
  }
}

const configA = vmMemoryConfig({
  guestPages: 200,
  hypervisor: { pages: 300, ghostPages: 500, admissionFailure: 0.1, seed: 3 },
  writeback: { dirtyExpire: 2, interval: 0.5 },
});
const configB: VmMemoryConfig = vmMemoryConfig({
  guestPages: 100,
  policy: 'arc',
  hypervisor: { pages: 50 },
  writeback: { mode: 'write-through' },
  untimedRate: 700,
  warmup: 1000,
});

describe('host: several VMs', () => {
  it('two VMs interleaved by time get the same results as each VM alone', async () => {
    const a = workload(1, 30_000, 2000, 500);
    const b = workload(2, 20_000, 800); // untimed: t = i / 700
    const c = workload(3, 10_000, 400, 200, 5);
    const recorders = { exact: true, hypervisor: true, esx: true };
    const specs: HostVmSpec[] = [
      { name: 'a', memory: configA, workload: chunksOf(a, 1000), recorders },
      { name: 'b', memory: configB, workload: asAsync(chunksOf(b, 333)), recorders },
      { name: 'c', memory: configA, workload: chunksOf(c, 4096), recorders },
    ];
    const host = await simulateHost(specs);
    expect(host.references).toBe(60_000);
    const alone = [
      simulateVmSync(configA, chunksOf(a, 7777), { name: 'a', recorders }),
      simulateVmSync(configB, chunksOf(b), { name: 'b', recorders }),
      simulateVmSync(configA, chunksOf(c), { name: 'c', recorders }),
    ];
    for (let i = 0; i < 3; i++) {
      const [h, s] = [host.vms[i], alone[i]];
      expect(h.name).toBe(s.name);
      expect(h.stats).toEqual(s.stats);
      for (const size of [0, 50, 150, 300, 500, 1000, 2000]) {
        expect(h.curves.exact!.missesAt(size)).toBe(s.curves.exact!.missesAt(size));
        expect(h.curves.hypervisor!.missesAt(size)).toBe(s.curves.hypervisor!.missesAt(size));
      }
      expect(h.esx!.periods).toEqual(s.esx!.periods);
    }
    expect(host.vms[0].stats.admissionFailures).toBeGreaterThan(0);
    expect(host.vms[1].stats.references).toBe(19_000);
  });

  it('interleaves by simulated time, reference by reference', async () => {
    const mk = (times: (i: number) => number): InMemoryTrace => ({
      pages: Int32Array.from({ length: 100 }, (_, i) => i % 7),
      ops: new Uint8Array(100),
      times: Float64Array.from({ length: 100 }, (_, i) => times(i)),
      distinct: 7,
    });
    const vms = [
      { name: 'L', trace: mk((i) => 150 + 3 * i), chunk: 7 }, // own epoch: its clock starts at 150
      { name: 'E', trace: mk((i) => 2 * i), chunk: 10 },
      { name: 'O', trace: mk((i) => 2 * i + 1), chunk: 3 },
      { name: 'T', trace: mk((i) => 2 * i), chunk: 4 }, // ties with E go to E (lower index)
    ];
    const log: string[] = [];
    const mem = vmMemoryConfig({ guestPages: 3, hypervisor: { pages: 2 } });
    await simulateHost(
      vms.map((v) => ({
        name: v.name,
        memory: mem,
        workload: tracked(v.name, log, chunksOf(v.trace, v.chunk)),
      })),
    );
    // Reference model: merge all references on (VM time, VM index); a VM's clock starts at its
    // first reference; a VM fetches its next chunk right after simulating the last reference of
    // the current one.
    const refs = vms.flatMap((v, vi) => {
      const times = v.trace.times as Float64Array;
      return Array.from(times, (t, i) => ({ t: t - times[0], vi, i }));
    });
    refs.sort((x, y) => x.t - y.t || x.vi - y.vi || x.i - y.i);
    const want = vms.map((v) => v.name);
    for (const r of refs) {
      const v = vms[r.vi];
      if ((r.i + 1) % v.chunk === 0 && r.i + 1 < 100) want.push(v.name);
    }
    expect(log.join('')).toBe(want.join(''));
  });

  it('reports progress and stops when cancelled between chunks', async () => {
    const trace = workload(4, 10_000, 100);
    const seen: [number, number | undefined][] = [];
    await simulateHost(
      [{ name: 'x', memory: configA, workload: chunksOf(trace, 1000), expectedRefs: 10_000 }],
      { onProgress: (d, t) => seen.push([d, t]) },
    );
    expect(seen.at(-1)).toEqual([10_000, 10_000]);
    expect(seen.map(([d]) => d).slice(0, 3)).toEqual([1000, 2000, 3000]);

    const ctl = new AbortController();
    let last = 0;
    const run = simulateHost([{ name: 'x', memory: configA, workload: chunksOf(trace, 1000) }], {
      signal: ctl.signal,
      onProgress: (d, t) => {
        last = d;
        expect(t).toBeUndefined();
        if (d >= 3000) ctl.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(last).toBe(3000);
  });

  it('simulateVm (async) equals simulateVmSync', async () => {
    const trace = workload(5, 20_000, 1500, 100);
    const opts = { name: 'v', recorders: { hypervisor: true } };
    const x = await simulateVm(configA, asAsync(chunksOf(trace, 999)), opts);
    const y = simulateVmSync(configA, chunksOf(trace), opts);
    expect(x.stats).toEqual(y.stats);
    expect(x.curves.hypervisor!.missesAt(400)).toBe(y.curves.hypervisor!.missesAt(400));
    expect(x.curves.exact).toBeUndefined();
    expect(x.esx).toBeUndefined();
  });

  it('simulateVmSync honours the abort signal', () => {
    const ctl = new AbortController();
    ctl.abort();
    expect(() =>
      simulateVmSync(configA, chunksOf(workload(6, 100, 10)), { control: { signal: ctl.signal } }),
    ).toThrow(CancelledError);
  });

  it('handles empty workloads and empty chunks', async () => {
    const empty: RefChunk = {
      length: 0,
      pages: new Int32Array(0),
      ops: new Uint8Array(0),
      times: null,
    };
    const res = await simulateHost([
      { name: 'none', memory: configA, workload: [], recorders: { hypervisor: true, esx: true } },
      { name: 'blank', memory: configA, workload: [empty, empty] },
    ]);
    expect(res.references).toBe(0);
    expect(res.vms[0].stats.references).toBe(0);
    expect(res.vms[0].curves.hypervisor!.missesAt(200)).toBe(0);
    expect(res.vms[0].esx!.finalEstimate).toBeNaN();
    expect(res.vms[0].curves.esx!.missesAt(300)).toBeNaN();
  });
});
