/** Chart.js registration (tree-shaken parts), the zoom plugin and our size-markers plugin. */
import {
  CategoryScale,
  Chart,
  Decimation,
  Filler,
  Legend,
  LinearScale,
  LineElement,
  LogarithmicScale,
  PointElement,
  Tooltip,
  type ChartType,
  type Plugin,
} from 'chart.js';
import zoomPlugin from 'chartjs-plugin-zoom';
import { svgText } from '../export/chart-svg.js';

export interface SizeMarker {
  /** Position on the x axis (in the axis' unit). */
  x: number;
  /** "V", "V + C", "V + C + G". */
  label: string;
}

export interface SizeMarkersOptions {
  markers?: SizeMarker[];
  /** Shade the x range below this value (V: sizes the hypervisor cannot observe). */
  shadeBelow?: number;
}

declare module 'chart.js' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface PluginOptionsByType<TType extends ChartType> {
    sizeMarkers?: SizeMarkersOptions;
  }
}

/** Drawing instructions in CSS pixels, shared by the canvas and the SVG export. */
interface MarkerShapes {
  shade: { x0: number; x1: number; y0: number; y1: number } | null;
  lines: { x: number; y0: number; y1: number }[];
  labels: { x: number; y: number; text: string; align: 'left' | 'center' | 'right' }[];
}

/** Room (px) above the plot area for the marker labels: two staggered rows. */
export const MARKER_LABEL_ROOM = 30;
const LABEL_FONT = 11;

function markerShapes(chart: Chart): MarkerShapes | null {
  const opts = chart.options.plugins?.sizeMarkers as SizeMarkersOptions | undefined;
  const x = chart.scales.x;
  if (opts === undefined || x === undefined) return null;
  const { top, bottom, left, right } = chart.chartArea;
  const shapes: MarkerShapes = { shade: null, lines: [], labels: [] };
  if (opts.shadeBelow !== undefined) {
    const end = Math.min(right, Math.max(left, x.getPixelForValue(opts.shadeBelow)));
    if (end > left) shapes.shade = { x0: left, x1: end, y0: top, y1: bottom };
  }
  // Markers at one position share a label ("V + C = V + C + G" when G = 0).
  const merged: { px: number; label: string }[] = [];
  for (const m of opts.markers ?? []) {
    const px = x.getPixelForValue(m.x);
    if (!Number.isFinite(px) || px < left - 0.5 || px > right + 0.5) continue;
    const same = merged.find((o) => Math.abs(o.px - px) < 0.5);
    if (same !== undefined) same.label = `${same.label} = ${m.label}`;
    else merged.push({ px, label: m.label });
  }
  merged.sort((a, b) => a.px - b.px);
  // Labels alternate between two rows when they would overlap; none runs past the chart.
  const rowEnd = [-Infinity, -Infinity];
  const charW = LABEL_FONT * 0.6;
  for (const m of merged) {
    shapes.lines.push({ x: m.px, y0: top, y1: bottom });
    const w = m.label.length * charW;
    const align: 'left' | 'center' | 'right' =
      m.px - w / 2 < 2 ? 'left' : m.px + w / 2 > chart.width - 2 ? 'right' : 'center';
    const start = align === 'left' ? m.px : align === 'right' ? m.px - w : m.px - w / 2;
    const row = start > rowEnd[0] + 4 ? 0 : start > rowEnd[1] + 4 ? 1 : 0;
    rowEnd[row] = start + w;
    shapes.labels.push({ x: m.px, y: top - 4 - (1 - row) * 14, text: m.label, align });
  }
  return shapes;
}

/**
 * Shades the sizes below V (a hypervisor only sees the guest's misses) and marks V, V + C and
 * V + C + G with dashed lines labelled above the plot (the chart reserves room there).
 */
export const sizeMarkersPlugin: Plugin<'line'> = {
  id: 'sizeMarkers',
  beforeDatasetsDraw(chart) {
    const s = markerShapes(chart as unknown as Chart);
    if (s === null) return;
    const ctx = chart.ctx;
    ctx.save();
    if (s.shade !== null) {
      ctx.fillStyle = 'rgba(120, 130, 145, 0.13)';
      ctx.fillRect(s.shade.x0, s.shade.y0, s.shade.x1 - s.shade.x0, s.shade.y1 - s.shade.y0);
    }
    ctx.strokeStyle = 'rgba(60, 68, 80, 0.75)';
    ctx.lineWidth = 1;
    ctx.setLineDash([4, 3]);
    for (const l of s.lines) {
      ctx.beginPath();
      ctx.moveTo(l.x, l.y0);
      ctx.lineTo(l.x, l.y1);
      ctx.stroke();
    }
    ctx.setLineDash([]);
    ctx.fillStyle = 'rgba(31, 41, 55, 0.95)';
    ctx.font = `600 ${LABEL_FONT}px system-ui, sans-serif`;
    ctx.textBaseline = 'bottom';
    for (const t of s.labels) {
      ctx.textAlign = t.align;
      ctx.fillText(t.text, t.x, t.y);
    }
    ctx.restore();
  },
};

/** The same marks as SVG (for {@link chartToSvg}). */
export function sizeMarkersSvg(chart: Chart): string {
  const s = markerShapes(chart);
  if (s === null) return '';
  const out: string[] = [];
  if (s.shade !== null)
    out.push(
      `<rect x="${s.shade.x0}" y="${s.shade.y0}" width="${s.shade.x1 - s.shade.x0}" height="${s.shade.y1 - s.shade.y0}" fill="rgb(120,130,145)" fill-opacity="0.13"/>`,
    );
  for (const l of s.lines)
    out.push(
      `<line x1="${l.x}" y1="${l.y0}" x2="${l.x}" y2="${l.y1}" stroke="rgb(60,68,80)" stroke-opacity="0.75" stroke-dasharray="4 3"/>`,
    );
  for (const t of s.labels)
    out.push(
      svgText(t.x, t.y, t.text, {
        size: LABEL_FONT,
        weight: 'bold',
        anchor: t.align === 'left' ? 'start' : t.align === 'right' ? 'end' : 'middle',
        baseline: 'text-after-edge',
        fill: '#1f2937',
      }),
    );
  return out.join('\n');
}

/** Paints the canvas white first, so PNG exports are not transparent. */
const whiteBackgroundPlugin: Plugin = {
  id: 'whiteBackground',
  beforeDraw(chart) {
    const ctx = chart.ctx;
    ctx.save();
    ctx.globalCompositeOperation = 'destination-over';
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
};

let registered = false;
export function registerCharts(): void {
  if (registered) return;
  registered = true;
  Chart.register(
    CategoryScale,
    LinearScale,
    LogarithmicScale,
    PointElement,
    LineElement,
    Tooltip,
    Legend,
    Filler,
    Decimation,
    zoomPlugin,
    whiteBackgroundPlugin,
  );
}

/** One colour per MRC method, used by every chart and table. */
export const METHOD_COLORS: Record<string, string> = {
  exact: '#1f2937',
  hypervisor: '#d97706',
  esx: '#7c3aed',
  shards: '#0891b2',
  policy: '#15803d',
  minisim: '#db2777',
};
