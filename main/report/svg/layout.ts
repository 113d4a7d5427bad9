/**
 * Where a chart's parts go: the plot area, the x and y scales (data → pixels) and the legend
 * rows. Pure; shared by the SVG renderer and its tests.
 */
import type { ChartSpec } from '../../../shared/api/report.js';
import { logTicks, niceTicks } from './ticks.js';

export const WIDTH = 720;
const PLOT_HEIGHT = 300;
const MARGIN = { left: 76, right: 20, top: 38, bottom: 54 };
const LEGEND_ROW = 18;
export const FONT_SIZE = 11;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LegendItem {
  series: number;
  label: string;
  x: number;
  y: number;
}

export interface ChartLayout {
  width: number;
  height: number;
  plot: Rect;
  xTicks: number[];
  yTicks: number[];
  /** Data → pixels (x of a bar chart: the category index → the category's centre). */
  sx(x: number): number;
  sy(y: number): number;
  /** Bar charts: the width of one category band. */
  band: number;
  /** Bar charts: category names slanted (many, or too wide for their band). */
  rotateCategories: boolean;
  /** Baseline of the x-axis title: below the category names, however far they slant down. */
  xTitleY: number;
  legend: LegendItem[];
}

/** How slanted category names are drawn: rotated by this angle, anchored this far below. */
export const CATEGORY_ANGLE = 25;
export const CATEGORY_OFFSET = 12;

/** Rough text width of the chart font (DejaVu Sans-like), enough to lay out the legend. */
export function textWidth(text: string, size = FONT_SIZE): number {
  return text.length * size * 0.6;
}

function finiteYs(spec: ChartSpec): number[] {
  const ys: number[] = [];
  for (const s of spec.series)
    s.points.forEach(([, y], i) => {
      if (y === null || !Number.isFinite(y)) return;
      const e = s.errors?.[i] ?? 0;
      ys.push(y + (e ?? 0), y - (e ?? 0));
    });
  return ys;
}

/** The x values a line chart is drawn over (log axes: positive ones only). */
export function usableX(spec: ChartSpec, x: number): boolean {
  return Number.isFinite(x) && (!spec.xLog || x > 0);
}

function legendRows(spec: ChartSpec, plot: Rect): LegendItem[] {
  const items: LegendItem[] = [];
  let x = plot.x;
  let row = 0;
  spec.series.forEach((s, i) => {
    const w = 30 + textWidth(s.label) + 16;
    if (x + w > plot.x + plot.width && x > plot.x) {
      row++;
      x = plot.x;
    }
    items.push({ series: i, label: s.label, x, y: row });
    x += w;
  });
  return items;
}

export function layoutChart(spec: ChartSpec): ChartLayout {
  const plot: Rect = {
    x: MARGIN.left,
    y: MARGIN.top,
    width: WIDTH - MARGIN.left - MARGIN.right,
    height: PLOT_HEIGHT,
  };
  const cats = spec.kind === 'bar' ? (spec.categories ?? []) : [];
  const band = plot.width / Math.max(1, cats.length);
  const rotateCategories = cats.length > 6 || cats.some((c) => textWidth(c) > band - 4);
  // Slanted names reach down by their width times sin(angle): the title and legend move down.
  const slant = rotateCategories
    ? CATEGORY_OFFSET +
      Math.max(...cats.map((c) => textWidth(c))) * Math.sin((CATEGORY_ANGLE * Math.PI) / 180) +
      FONT_SIZE
    : 0;
  const drop = Math.max(0, slant + 14 - 40);
  const bottom = plot.y + plot.height;
  const xTitleY = bottom + 40 + drop;
  const legend = legendRows(spec, plot);
  const rows = legend.length === 0 ? 0 : Math.max(...legend.map((l) => l.y)) + 1;
  const legendTop = bottom + MARGIN.bottom + drop;
  for (const l of legend) l.y = legendTop + l.y * LEGEND_ROW;
  const height = legendTop + rows * LEGEND_ROW + 8;

  // y: from the data (and error bars), the spec's bounds winning; bars always start at 0.
  const ys = finiteYs(spec);
  let lo = ys.length > 0 ? Math.min(...ys) : 0;
  let hi = ys.length > 0 ? Math.max(...ys) : 1;
  if (spec.kind === 'bar' || lo > 0) lo = Math.min(0, lo);
  if (spec.yMin !== undefined) lo = spec.yMin;
  if (spec.yMax !== undefined) hi = spec.yMax;
  const yt = niceTicks(lo, hi, 5);
  const yMin = spec.yMin ?? yt.min;
  const yMax = spec.yMax ?? yt.max;
  const yTicks = yt.ticks.filter((t) => t >= yMin - 1e-12 && t <= yMax + 1e-12);
  const sy = (y: number): number =>
    plot.y + plot.height - ((y - yMin) / (yMax - yMin || 1)) * plot.height;

  if (spec.kind === 'bar') {
    return {
      width: WIDTH,
      height,
      plot,
      xTicks: [],
      yTicks,
      sx: (i) => plot.x + band * (i + 0.5),
      sy,
      band,
      rotateCategories,
      xTitleY,
      legend,
    };
  }

  const xs: number[] = [];
  for (const s of spec.series) for (const [x] of s.points) if (usableX(spec, x)) xs.push(x);
  for (const m of spec.markers) if (usableX(spec, m.x)) xs.push(m.x);
  const xlo = xs.length > 0 ? Math.min(...xs) : spec.xLog ? 1 : 0;
  const xhi = xs.length > 0 ? Math.max(...xs) : 10;
  if (spec.xLog) {
    const lt = logTicks(xlo, xhi);
    const a = Math.log10(lt.min);
    const b = Math.log10(lt.max);
    return {
      width: WIDTH,
      height,
      plot,
      xTicks: lt.ticks,
      yTicks,
      sx: (x) => plot.x + ((Math.log10(x) - a) / (b - a || 1)) * plot.width,
      sy,
      band: 0,
      rotateCategories: false,
      xTitleY,
      legend,
    };
  }
  const xt = niceTicks(xlo > 0 && xlo < (xhi - xlo) * 0.25 ? 0 : xlo, xhi, 6);
  return {
    width: WIDTH,
    height,
    plot,
    xTicks: xt.ticks,
    yTicks,
    sx: (x) => plot.x + ((x - xt.min) / (xt.max - xt.min || 1)) * plot.width,
    sy,
    band: 0,
    rotateCategories: false,
    xTitleY,
    legend,
  };
}
