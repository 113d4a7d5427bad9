import { describe, expect, it } from 'vitest';
import {
  DEFAULT_COSTS,
  DEFAULT_ESX,
  DEFAULT_SHARDS,
  DEFAULT_WRITEBACK,
  vmMemoryConfig,
} from '../../../main/engine/config.js';
import { MRC_METHODS as ENGINE_METHODS } from '../../../main/engine/mrc/curve.js';
import { POLICY_NAMES as ENGINE_POLICIES } from '../../../main/engine/policy/policy.js';
import {
  COST_DEFAULTS,
  ESX_DEFAULTS,
  ExperimentSchema,
  MRC_METHODS,
  POLICY_NAMES,
  SHARDS_DEFAULTS,
  VM_DEFAULTS,
  WRITEBACK_DEFAULTS,
} from '../../../shared/schema/index.js';
import { memoryConfigOf } from '../../../main/service/experiment-runner.js';

describe('shared schema defaults equal the engine defaults', () => {
  it('names of policies and MRC methods', () => {
    expect([...POLICY_NAMES]).toEqual([...ENGINE_POLICIES]);
    expect([...MRC_METHODS]).toEqual([...ENGINE_METHODS]);
  });

  it('writeback, costs, ESX and SHARDS', () => {
    expect(WRITEBACK_DEFAULTS).toEqual(DEFAULT_WRITEBACK);
    expect(COST_DEFAULTS).toEqual(DEFAULT_COSTS);
    expect(ESX_DEFAULTS).toEqual(DEFAULT_ESX);
    expect(SHARDS_DEFAULTS).toEqual(DEFAULT_SHARDS);
  });

  it('per-VM memory defaults (vmMemoryConfig())', () => {
    const e = vmMemoryConfig();
    expect(VM_DEFAULTS.guestPages).toBe(e.guestPages);
    expect(VM_DEFAULTS.policy).toBe(e.policy);
    expect(VM_DEFAULTS.activeFraction).toBe(e.activeFraction);
    expect(VM_DEFAULTS.untimedRate).toBe(e.untimedRate);
    expect(VM_DEFAULTS.warmup).toBe(e.warmup);
    expect(VM_DEFAULTS.hvPages).toBe(e.hypervisor.pages);
    expect(VM_DEFAULTS.ghostPages).toBe(e.hypervisor.ghostPages);
    expect(VM_DEFAULTS.admissionFailure).toBe(e.hypervisor.admissionFailure);
    expect(VM_DEFAULTS.admissionSeed).toBe(e.hypervisor.seed);
  });

  it('a parsed VM with nothing set maps onto vmMemoryConfig()', () => {
    const exp = ExperimentSchema.parse({
      name: 'x',
      vms: [{ name: 'a', workload: { kind: 'loop', pages: 4 } }],
    });
    const vm = exp.vms[0];
    // The one mapping the services use, from the shared schema to the engine.
    expect(memoryConfigOf(vm)).toEqual(vmMemoryConfig());
    expect(exp.esx).toEqual(DEFAULT_ESX);
    expect(exp.shards).toEqual(DEFAULT_SHARDS);
  });
});
