/** File names of report files: sanitised, unique, never outside the folder. */
import { describe, expect, it } from 'vitest';
import {
  MAX_STEM,
  StemAllocator,
  checkRelativeName,
  sanitizeStem,
} from '../../main/report/names.js';

describe('sanitizeStem', () => {
  it('keeps plain names and replaces everything else', () => {
    expect(sanitizeStem('run-3-mrc-web_1.a')).toBe('run-3-mrc-web_1.a');
    expect(sanitizeStem('run 3: mrc / web')).toBe('run-3-mrc-web');
    expect(sanitizeStem('café ÷ naïve')).toBe('cafe-naive');
  });

  it('no separators, no "..", no leading dot, never empty, bounded length', () => {
    for (const raw of [
      '../../etc/passwd',
      '..',
      '.',
      '/abs/path',
      'a\\b',
      '.hidden',
      '',
      '///',
      '\u0000x',
    ])
      for (const s of [sanitizeStem(raw)]) {
        expect(s).not.toMatch(/[/\\]/);
        expect(s).not.toContain('..');
        expect(s.startsWith('.')).toBe(false);
        expect(s.length).toBeGreaterThan(0);
        expect(s).toMatch(/^[A-Za-z0-9._-]+$/);
      }
    expect(sanitizeStem('../../etc/passwd')).toBe('etc-passwd');
    expect(sanitizeStem('x'.repeat(500))).toHaveLength(MAX_STEM);
  });

  it('StemAllocator makes repeated (also case-folded) stems unique', () => {
    const a = new StemAllocator();
    expect(a.take('run 1')).toBe('run-1');
    expect(a.take('run/1')).toBe('run-1-2');
    expect(a.take('RUN-1')).toBe('RUN-1-3');
    const long = 'y'.repeat(200);
    expect(a.take(long)).toHaveLength(MAX_STEM);
    const second = a.take(long);
    expect(second).toHaveLength(MAX_STEM);
    expect(second.endsWith('-2')).toBe(true);
  });

  it('checkRelativeName accepts report names and refuses anything else', () => {
    for (const ok of ['report.html', 'figures/run-1-mrc-a.svg', 'curves.csv'])
      expect(checkRelativeName(ok)).toBe(ok);
    for (const bad of [
      '../x.csv',
      '/etc/x',
      'a/b/c.svg',
      'figures/../x',
      'a b.csv',
      '',
      '.x',
      'x/',
    ])
      expect(() => checkRelativeName(bad)).toThrow(/not a plain name/);
  });
});
