import { describe, expect, it } from 'vitest';
import type { RunDetail } from '../../../shared/api/entities.js';
import { minisimLabel, minisimText } from '../../../shared/format/run-text.js';
import { parseExperiment } from '../../../shared/schema/index.js';

/** A run whose experiment file is `yaml` (only the experiment is read). */
function runOf(minisim: string): RunDetail {
  const exp = parseExperiment(
    `name: m\nmethods: [policy, minisim]\nminisim: ${minisim}\nvms:\n  - name: a\n    workload: {kind: zipf, pages: 10, refs: 10}\n`,
    'm.yaml',
  );
  return { experiment: exp } as unknown as RunDetail;
}

describe('minisim in the run parameters and chart labels', () => {
  it('fixed rate: the rate', () => {
    const run = runOf('{rate: 0.05}');
    expect(minisimText(run)).toBe('fixed rate R = 0.05 (miniature caches of size·R pages)');
    expect(minisimLabel(run)).toBe('minisim (R = 0.05)');
  });

  it('fixed size: the most sampled pages', () => {
    const run = runOf('{mode: fixed-size, maxSamples: 20000}');
    expect(minisimText(run)).toBe(
      'fixed size, at most 20,000 sampled pages (miniature caches shrink as the rate falls)',
    );
    expect(minisimLabel(run)).toBe('minisim (≤ 20,000 samples)');
  });
});
