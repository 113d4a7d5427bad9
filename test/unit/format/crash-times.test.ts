import { describe, expect, it } from 'vitest';
import { crashTimesText } from '../../../shared/format/crash-times.js';

describe('crashTimesText', () => {
  it('lists a few times', () => {
    expect(crashTimesText([1.5, 30, 1234.5678])).toBe('at 1.5 s, 30 s, 1,235 s');
    expect(crashTimesText([])).toBe('no crash times');
  });

  it('summarises many evenly spaced times, whatever the float noise', () => {
    const times = Array.from({ length: 100 }, (_, i) => 35.424995 + i * 0.84999 + (i % 3) * 1e-12);
    expect(crashTimesText(times)).toBe('100 crash times from 35.42 s to 119.6 s, every 0.85 s');
  });

  it('says mean gap when the times are not evenly spaced', () => {
    const times = [1, 2, 4, 8, 16, 32, 64];
    expect(crashTimesText(times)).toBe('7 crash times from 1 s to 64 s, mean gap 10.5 s');
  });
});
