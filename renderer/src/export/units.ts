/** Memory sizes shown in pages, MiB or GiB (the experiment's page size converts). */
export type SizeUnit = 'pages' | 'MiB' | 'GiB';
export const SIZE_UNITS: readonly SizeUnit[] = ['pages', 'MiB', 'GiB'];

export function unitFactor(unit: SizeUnit, pageSize: number): number {
  if (unit === 'pages') return 1;
  return pageSize / (unit === 'MiB' ? 2 ** 20 : 2 ** 30);
}

/** `size` pages in `unit`, as a number. */
export function inUnit(pages: number, unit: SizeUnit, pageSize: number): number {
  return pages * unitFactor(unit, pageSize);
}

/** "1,024 pages", "4 MiB", "0.0039 GiB": enough digits to tell sizes apart. */
export function formatSize(pages: number, unit: SizeUnit, pageSize: number): string {
  if (!Number.isFinite(pages)) return '—';
  if (unit === 'pages') return `${Math.round(pages).toLocaleString('en-US')} pages`;
  return `${formatAmount(inUnit(pages, unit, pageSize))} ${unit}`;
}

/** A value already in the unit: integers with separators, fractions to 3 significant digits. */
export function formatAmount(v: number): string {
  if (!Number.isFinite(v)) return '—';
  if (Math.abs(v) >= 1000 || Number.isInteger(v)) return Math.round(v).toLocaleString('en-US');
  return Number(v.toPrecision(3)).toString();
}
