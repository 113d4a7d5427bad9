/**
 * File names of a report's files: ids from the data (run ids, VM and experiment names, study
 * table ids) made safe to write inside the output folder — no path separators, no "..", no
 * leading dot, only [A-Za-z0-9._-], at most {@link MAX_STEM} characters — and unique.
 */

export const MAX_STEM = 80;

/** A file-name stem made of safe characters only; never empty, never "." or "..". */
export function sanitizeStem(raw: string): string {
  let s = raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/[.-]*-[.-]*/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[.-]+/, '')
    .replace(/[.-]+$/, '');
  if (s.length > MAX_STEM) s = s.slice(0, MAX_STEM).replace(/[.-]+$/, '');
  return s === '' ? 'item' : s;
}

/** Hands out unique stems: a stem already given gets -2, -3, … */
export class StemAllocator {
  private readonly used = new Set<string>();

  take(raw: string): string {
    const base = sanitizeStem(raw);
    let stem = base;
    for (let n = 2; this.used.has(stem.toLowerCase()); n++) {
      const suffix = `-${n}`;
      stem = base.slice(0, MAX_STEM - suffix.length) + suffix;
    }
    this.used.add(stem.toLowerCase());
    return stem;
  }
}

/**
 * A relative file name inside the output folder ("curves.csv", "figures/x.svg"): every part
 * sanitised. Throws on anything that is not one (absolute, "..", empty parts).
 */
export function checkRelativeName(name: string): string {
  const parts = name.split('/');
  if (parts.length > 2 || parts.some((p) => p === '' || p === '.' || p === '..'))
    throw new Error(`report file name ${JSON.stringify(name)} is not a plain name`);
  for (const p of parts) {
    const dot = p.lastIndexOf('.');
    const stem = dot > 0 ? p.slice(0, dot) : p;
    const ext = dot > 0 ? p.slice(dot + 1) : '';
    if (sanitizeStem(stem) !== stem || !/^[A-Za-z0-9]*$/.test(ext))
      throw new Error(`report file name ${JSON.stringify(name)} is not a plain name`);
  }
  return name;
}
