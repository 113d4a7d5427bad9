/** Builds the source tree of a workload pattern. */
import type { WorkloadPattern } from '../../../shared/schema/workload.js';
import { leaf, nodeRng, type BuildContext } from './context.js';
import type { OpModel } from './decorate.js';
import { HotColdSource } from './hot-cold.js';
import { LoopSource } from './loop.js';
import { MixSource } from './mix.js';
import { PhasesSource } from './phases.js';
import { PRESETS } from './presets.js';
import { ScanSource } from './scan.js';
import type { RefSource } from './source.js';
import { UniformSource } from './uniform.js';
import { ZipfSampler, ZipfSource, randomPermutation } from './zipf.js';

/** The op model in force at a node: its own keys over the inherited ones. */
function opsAt(p: WorkloadPattern, inherited: OpModel | undefined): OpModel | undefined {
  if (
    p.writeFraction === undefined &&
    p.fsyncRate === undefined &&
    p.directWriteFraction === undefined &&
    p.fullPageWrites === undefined
  )
    return inherited;
  return {
    writeFraction: p.writeFraction ?? inherited?.writeFraction ?? 0,
    fsyncRate: p.fsyncRate ?? inherited?.fsyncRate ?? 0,
    directWriteFraction: p.directWriteFraction ?? inherited?.directWriteFraction ?? 0,
    fullPageWrites: p.fullPageWrites ?? inherited?.fullPageWrites ?? false,
  };
}

/**
 * Sources for `p`, seeded from `parent.seed` and the node's path, with page ids shifted by the
 * offsets of the node and its ancestors.
 */
export function buildSource(p: WorkloadPattern, parent: BuildContext): RefSource {
  const ctx: BuildContext = {
    seed: parent.seed,
    path: parent.path,
    offset: parent.offset + p.offset,
    ops: opsAt(p, parent.ops),
  };
  switch (p.kind) {
    case 'uniform':
      return leaf(ctx, 'uniform', new UniformSource(p.pages, nodeRng(ctx, 'uniform')));
    case 'zipf': {
      const sampler = new ZipfSampler(p.pages, p.alpha, nodeRng(ctx, 'zipf'));
      const perm = p.scatter ? randomPermutation(p.pages, nodeRng(ctx, 'zipf/scatter')) : null;
      return leaf(ctx, 'zipf', new ZipfSource(sampler, perm));
    }
    case 'scan':
      return leaf(ctx, 'scan', new ScanSource(p.pages, p.run ?? p.pages, nodeRng(ctx, 'scan')));
    case 'loop':
      return leaf(ctx, 'loop', new LoopSource(p.pages));
    case 'hotcold':
      return leaf(
        ctx,
        'hotcold',
        new HotColdSource(p.hot, p.cold, p.hotFraction, nodeRng(ctx, 'hotcold')),
      );
    case 'phases':
      return new PhasesSource(
        p.phases.map((ph, i) => ({
          refs: ph.refs,
          source: buildSource(ph.workload, { ...ctx, path: `${ctx.path}/phases[${i}]` }),
        })),
        p.cycle,
      );
    case 'mix':
      return new MixSource(
        p.parts.map((part, i) =>
          buildSource(part.workload, { ...ctx, path: `${ctx.path}/parts[${i}]` }),
        ),
        p.parts.map((part) => part.weight),
        nodeRng(ctx, 'mix'),
      );
    case 'preset':
      return PRESETS[p.preset].build(p.pages, { ...ctx, path: `${ctx.path}/${p.preset}` });
  }
}
