/**
 * One chart ({@link ChartSpec}) as SVG: a line chart (lines, dashed lines, steps, points; a null y
 * leaves a gap) or grouped bars with error bars; nice ticks, axis titles, a legend and vertical
 * markers. Pure text, no external resource: the same markup is inlined in the HTML report and
 * written as a standalone file (with `xmlns`).
 */
import type { ChartSpec } from '../../../shared/api/report.js';
import { esc } from '../escape.js';
import {
  CATEGORY_ANGLE,
  CATEGORY_OFFSET,
  FONT_SIZE,
  layoutChart,
  textWidth,
  usableX,
  type ChartLayout,
} from './layout.js';
import { tickLabel } from './ticks.js';

/** Distinct, print-safe colours, by series index. */
export const PALETTE = [
  '#1f2937',
  '#d97706',
  '#2563eb',
  '#059669',
  '#db2777',
  '#7c3aed',
  '#0891b2',
  '#9ca3af',
  '#b91c1c',
  '#65a30d',
];

const FONT = 'DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif';

export interface SvgOptions {
  /** Standalone files carry the XML namespace (and a declaration); inline SVG needs neither. */
  standalone?: boolean;
}

const CLIP_PAD = 4;

const r2 = (v: number): string => String(Math.round(v * 100) / 100);

function colorOf(spec: ChartSpec, i: number): string {
  return spec.series[i].color ?? PALETTE[i % PALETTE.length];
}

/** The polyline pieces of a series: a null (or unusable) point ends a piece. */
export function segments(spec: ChartSpec, series: number): [number, number][][] {
  const out: [number, number][][] = [];
  let cur: [number, number][] = [];
  for (const [x, y] of spec.series[series].points) {
    if (y === null || !Number.isFinite(y) || !usableX(spec, x)) {
      if (cur.length > 0) out.push(cur);
      cur = [];
      continue;
    }
    cur.push([x, y]);
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

function linePath(L: ChartLayout, seg: [number, number][], step: boolean): string {
  let d = '';
  seg.forEach(([x, y], i) => {
    const px = L.sx(x);
    const py = L.sy(y);
    if (i === 0) d += `M${r2(px)} ${r2(py)}`;
    else if (step) d += `V${r2(py)}H${r2(px)}`;
    else d += `L${r2(px)} ${r2(py)}`;
  });
  return d;
}

function axes(spec: ChartSpec, L: ChartLayout, out: string[]): void {
  const { plot } = L;
  const bottom = plot.y + plot.height;
  out.push(
    `<rect class="plot-area" x="${plot.x}" y="${plot.y}" width="${plot.width}" height="${plot.height}" fill="#ffffff" stroke="#9ca3af" stroke-width="1"/>`,
  );
  for (const t of L.yTicks) {
    const y = r2(L.sy(t));
    out.push(
      `<line x1="${plot.x}" x2="${plot.x + plot.width}" y1="${y}" y2="${y}" stroke="#e5e7eb" stroke-width="1"/>`,
      `<text x="${plot.x - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${esc(tickLabel(t))}</text>`,
    );
  }
  if (spec.kind === 'bar') {
    const cats = spec.categories ?? [];
    const y = bottom + CATEGORY_OFFSET;
    cats.forEach((c, i) => {
      const x = r2(L.sx(i));
      out.push(
        L.rotateCategories
          ? `<text x="${x}" y="${y}" text-anchor="end" transform="rotate(-${CATEGORY_ANGLE} ${x} ${y})">${esc(c)}</text>`
          : `<text x="${x}" y="${bottom + 16}" text-anchor="middle">${esc(c)}</text>`,
      );
    });
  } else {
    for (const t of L.xTicks) {
      const x = r2(L.sx(t));
      out.push(
        `<line x1="${x}" x2="${x}" y1="${plot.y}" y2="${bottom}" stroke="#f3f4f6" stroke-width="1"/>`,
        `<line x1="${x}" x2="${x}" y1="${bottom}" y2="${bottom + 4}" stroke="#6b7280" stroke-width="1"/>`,
        `<text x="${x}" y="${bottom + 16}" text-anchor="middle">${esc(tickLabel(t))}</text>`,
      );
    }
  }
  out.push(
    `<text class="x-title" x="${r2(plot.x + plot.width / 2)}" y="${r2(L.xTitleY)}" text-anchor="middle" font-weight="bold">${esc(spec.xLabel)}</text>`,
    `<text class="y-title" x="0" y="0" text-anchor="middle" font-weight="bold" transform="translate(16 ${r2(plot.y + plot.height / 2)}) rotate(-90)">${esc(spec.yLabel)}</text>`,
  );
}

function lineSeries(spec: ChartSpec, L: ChartLayout, out: string[]): void {
  // Drawn last to first so the first series (e.g. the exact curve) ends up on top.
  for (let i = spec.series.length - 1; i >= 0; i--) {
    const s = spec.series[i];
    const color = colorOf(spec, i);
    if (s.style === 'points') {
      const dots = segments(spec, i)
        .flat()
        .map(
          ([x, y]) =>
            `<circle cx="${r2(L.sx(x))}" cy="${r2(L.sy(y))}" r="3.5" fill="${color}" stroke="#ffffff" stroke-width="1"/>`,
        );
      out.push(`<g class="series" data-series="${i}">${dots.join('')}</g>`);
      continue;
    }
    const paths = segments(spec, i).map((seg) =>
      seg.length === 1
        ? `<circle cx="${r2(L.sx(seg[0][0]))}" cy="${r2(L.sy(seg[0][1]))}" r="2.5" fill="${color}"/>`
        : `<path d="${linePath(L, seg, s.style === 'step')}" fill="none" stroke="${color}" stroke-width="${s.width ?? (i === 0 ? 2 : 1.6)}"${s.style === 'dashed' ? ' stroke-dasharray="6 4"' : ''} stroke-linejoin="round"/>`,
    );
    out.push(`<g class="series" data-series="${i}">${paths.join('')}</g>`);
  }
}

function barSeries(spec: ChartSpec, L: ChartLayout, out: string[]): void {
  const n = Math.max(1, spec.series.length);
  const group = L.band * 0.8;
  const w = group / n;
  const zero = L.sy(Math.max(0, L.yTicks[0] ?? 0));
  spec.series.forEach((s, i) => {
    const color = colorOf(spec, i);
    const parts: string[] = [];
    s.points.forEach(([cat, y], k) => {
      if (y === null || !Number.isFinite(y)) return;
      const x = L.sx(cat) - group / 2 + i * w;
      const py = L.sy(y);
      parts.push(
        `<rect x="${r2(x + 1)}" y="${r2(Math.min(py, zero))}" width="${r2(Math.max(1, w - 2))}" height="${r2(Math.abs(zero - py))}" fill="${color}"/>`,
      );
      const e = s.errors?.[k];
      if (e !== undefined && e !== null && Number.isFinite(e) && e > 0) {
        const cx = r2(x + w / 2);
        const lo = r2(L.sy(y - e));
        const hi = r2(L.sy(y + e));
        const cap = Math.min(6, w / 3);
        parts.push(
          `<path class="error-bar" d="M${cx} ${lo}V${hi}M${r2(x + w / 2 - cap)} ${hi}H${r2(x + w / 2 + cap)}M${r2(x + w / 2 - cap)} ${lo}H${r2(x + w / 2 + cap)}" stroke="#111827" stroke-width="1.2" fill="none"/>`,
        );
      }
    });
    out.push(`<g class="series" data-series="${i}">${parts.join('')}</g>`);
  });
}

function markers(spec: ChartSpec, L: ChartLayout, out: string[]): void {
  const { plot } = L;
  const placed: number[] = [];
  for (const m of spec.markers) {
    if (!usableX(spec, m.x)) continue;
    const x = L.sx(m.x);
    if (x < plot.x - 0.5 || x > plot.x + plot.width + 0.5) continue;
    // Labels of nearby markers are staggered so they do not overlap.
    const row = placed.filter((p) => Math.abs(p - x) < textWidth(m.label) + 8).length % 2;
    placed.push(x);
    out.push(
      `<g class="marker"><line x1="${r2(x)}" x2="${r2(x)}" y1="${plot.y}" y2="${plot.y + plot.height}" stroke="#4b5563" stroke-width="1" stroke-dasharray="3 3"/>` +
        `<text x="${r2(x)}" y="${plot.y - 6 - row * 12}" text-anchor="middle" fill="#374151">${esc(m.label)}</text></g>`,
    );
  }
}

function legend(spec: ChartSpec, L: ChartLayout, out: string[]): void {
  for (const item of L.legend) {
    const s = spec.series[item.series];
    const color = colorOf(spec, item.series);
    const y = item.y;
    const sample =
      spec.kind === 'bar'
        ? `<rect x="${r2(item.x)}" y="${y - 5}" width="22" height="10" fill="${color}"/>`
        : s.style === 'points'
          ? `<circle cx="${r2(item.x + 11)}" cy="${y}" r="3.5" fill="${color}"/>`
          : `<line x1="${r2(item.x)}" x2="${r2(item.x + 22)}" y1="${y}" y2="${y}" stroke="${color}" stroke-width="2"${s.style === 'dashed' ? ' stroke-dasharray="6 4"' : ''}/>`;
    out.push(
      `<g class="legend-item">${sample}<text x="${r2(item.x + 28)}" y="${y}" dominant-baseline="middle">${esc(item.label)}</text></g>`,
    );
  }
}

/** The chart as SVG markup. */
export function renderChartSvg(spec: ChartSpec, opts: SvgOptions = {}): string {
  const L = layoutChart(spec);
  const clip = `clip-${spec.id.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  const out: string[] = [];
  const ns = opts.standalone ? ' xmlns="http://www.w3.org/2000/svg"' : '';
  out.push(
    `<svg${ns} class="chart" data-chart="${esc(spec.id)}" width="${L.width}" height="${L.height}" viewBox="0 0 ${L.width} ${L.height}" font-family="${FONT}" font-size="${FONT_SIZE}" fill="#111827" role="img" aria-label="${esc(spec.title)}">`,
    `<title>${esc(spec.title)}</title>`,
    `<rect width="${L.width}" height="${L.height}" fill="#ffffff"/>`,
    `<text class="chart-title" x="${L.plot.x}" y="14" font-size="13" font-weight="bold">${esc(spec.title)}</text>`,
    // A little room above and below the plot so a line at the axis' end is not cut in half.
    `<defs><clipPath id="${clip}"><rect x="${L.plot.x}" y="${L.plot.y - CLIP_PAD}" width="${L.plot.width}" height="${L.plot.height + 2 * CLIP_PAD}"/></clipPath></defs>`,
  );
  axes(spec, L, out);
  const body: string[] = [];
  if (spec.kind === 'bar') barSeries(spec, L, body);
  else lineSeries(spec, L, body);
  out.push(`<g clip-path="url(#${clip})">${body.join('')}</g>`);
  markers(spec, L, out);
  legend(spec, L, out);
  out.push('</svg>');
  const svg = out.join('\n');
  return opts.standalone ? `<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n` : svg;
}
