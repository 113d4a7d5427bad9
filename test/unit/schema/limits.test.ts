/** Limits enforced by the shared schemas (issue 11, point 2): path length, NUL bytes, generated references. */
import { describe, expect, it } from 'vitest';
import { CONTRACT } from '../../../shared/api/contract.js';
import { filePath, MAX_GENERATED_REFS, MAX_PATH_BYTES } from '../../../shared/schema/fields.js';
import { WorkloadSpecSchema } from '../../../shared/schema/workload.js';

describe('path limits', () => {
  it('a path of exactly MAX_PATH_BYTES passes, one byte more is refused', () => {
    expect(MAX_PATH_BYTES).toBe(4096);
    expect(filePath().safeParse('/' + 'a'.repeat(4095)).success).toBe(true);
    const long = filePath().safeParse('/' + 'a'.repeat(4096));
    expect(long.success).toBe(false);
    expect(long.error?.issues[0].message).toContain('at most 4096 bytes');
    // Multi-byte characters count as their UTF-8 bytes.
    expect(filePath().safeParse('é'.repeat(2048)).success).toBe(true);
    expect(filePath().safeParse('é'.repeat(2048) + 'x').success).toBe(false);
  });

  it('NUL bytes are refused in every path the API takes', () => {
    const nul = filePath().safeParse('/tmp/a\0b');
    expect(nul.error?.issues[0].message).toBe('expected a file path without NUL bytes');
    for (const m of [
      'project.open',
      'project.create',
      'project.saveAs',
      'trace.inspect',
    ] as const) {
      expect(CONTRACT[m].params.safeParse({ path: 'x\0' }).success).toBe(false);
    }
  });
});

describe('generated references limit', () => {
  it('10^12 references pass, one more is refused', () => {
    const spec = (refs: number) =>
      WorkloadSpecSchema.safeParse({ kind: 'uniform', pages: 10, refs });
    expect(spec(MAX_GENERATED_REFS).success).toBe(true);
    const over = spec(MAX_GENERATED_REFS + 1);
    expect(over.success).toBe(false);
    expect(over.error?.issues[0].message).toContain(`from 0 to ${MAX_GENERATED_REFS}`);
  });
});
