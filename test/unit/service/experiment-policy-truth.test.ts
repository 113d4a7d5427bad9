import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../../main/service/experiment-runner.js';
import { parseExperiment } from '../../../shared/schema/index.js';

/** Two VMs (LRU and S3-FIFO guests) with every method; the truth differs per VM. */
const YAML = `name: truth
methods: [exact, hypervisor, shards, policy, minisim]
sizes: [100, 200, 400, 800]
minisim: {rate: 0.5}
vms:
  - name: lru-vm
    guestPages: 200
    hvPages: 200
    ghostPages: 400
    workload: {kind: zipf, pages: 3000, refs: 40000, alpha: 0.8, seed: 3}
  - name: s3fifo-vm
    policy: s3fifo
    guestPages: 200
    hvPages: 200
    ghostPages: 400
    workload: {kind: zipf, pages: 3000, refs: 40000, alpha: 0.8, seed: 3}
`;

describe('experiments with the policy and minisim methods', () => {
  it('score LRU against exact and other guests against their policy curve', async () => {
    const exp = parseExperiment(YAML, 'truth.yaml');
    expect(exp.minisim.rate).toBe(0.5);
    const result = await runExperiment(exp, '.');
    const [lru, s3] = result.vms;
    expect(lru.truth).toBe('exact');
    expect(s3.truth).toBe('policy');
    const against = (vm: typeof lru): Record<string, string | null> =>
      Object.fromEntries(vm.curves.map((c) => [c.method, c.maeAgainst]));
    expect(against(lru)).toEqual({
      exact: null,
      hypervisor: 'exact',
      shards: 'exact',
      policy: 'exact',
      minisim: 'exact',
    });
    expect(against(s3)).toEqual({
      exact: 'policy',
      hypervisor: 'policy',
      shards: 'policy',
      policy: null,
      minisim: 'policy',
    });
    // LRU's policy curve is the exact curve; the S3-FIFO VM's policy curve at V is its own misses.
    const curve = (vm: typeof lru, m: string) => vm.curves.find((c) => c.method === m);
    expect(curve(lru, 'policy')?.misses).toEqual(curve(lru, 'exact')?.misses);
    expect(curve(lru, 'policy')?.mae).toBe(0);
    expect(curve(s3, 'policy')?.misses[1]).toBe(s3.stats.guestMisses);
    expect(s3.minisim?.rate).toBeCloseTo(0.5, 6);
  });

  it('minisim fixed-size from the experiment file: at most maxSamples pages, the rate falls', async () => {
    const exp = parseExperiment(
      YAML.replace('minisim: {rate: 0.5}', 'minisim: {mode: fixed-size, maxSamples: 600}'),
      'truth.yaml',
    );
    expect(exp.minisim).toEqual({ mode: 'fixed-size', rate: 0.01, maxSamples: 600 });
    const result = await runExperiment(exp, '.');
    for (const vm of result.vms) {
      expect(vm.minisim).toMatchObject({
        mode: 'fixed-size',
        maxSamples: 600,
        maxSampledPages: 600,
      });
      expect(vm.minisim?.rate).toBeLessThan(0.5);
      expect(vm.curves.find((c) => c.method === 'minisim')?.misses.every((m) => m !== null)).toBe(
        true,
      );
    }
    expect(() =>
      parseExperiment(YAML.replace('minisim: {rate: 0.5}', 'minisim: {maxSamples: 0}'), 'x.yaml'),
    ).toThrow(/minisim\.maxSamples/);
  });

  it('without sizes, simulates the policy at the chosen sizes after the pass', async () => {
    const exp = parseExperiment(YAML.replace('sizes: [100, 200, 400, 800]\n', ''), 'truth.yaml');
    const result = await runExperiment(exp, '.');
    const s3 = result.vms[1];
    const policy = s3.curves.find((c) => c.method === 'policy');
    expect(policy?.sizes.length).toBeGreaterThan(4);
    expect(policy?.misses.every((m) => m !== null)).toBe(true);
    const at = policy?.sizes.indexOf(200) ?? -1;
    expect(at).toBeGreaterThanOrEqual(0);
    expect(policy?.misses[at]).toBe(s3.stats.guestMisses);
  });
});
