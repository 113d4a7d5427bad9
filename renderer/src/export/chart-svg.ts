/**
 * A Chart.js chart as a vector SVG, built from the chart's own data and layout (not a raster in
 * an SVG): the plot area, grid lines and tick labels of each scale (Scale.getLabelItems gives the
 * very positions the canvas uses), axis titles, every visible line/bar dataset (points, dashes,
 * steps, fills), the legend, what our plugins draw (via {@link SvgExtra}) and an optional caption
 * above the chart (e.g. the parameters the result was made with).
 */
import type { Chart, Scale } from 'chart.js';

export type SvgExtra = (chart: Chart) => string;

const FONT = 'Helvetica, Arial, sans-serif';

export function esc(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function n(x: number): string {
  return Number.isFinite(x) ? String(Math.round(x * 100) / 100) : '0';
}

function color(c: unknown, fallback = '#000'): string {
  return typeof c === 'string' && c !== '' ? c : fallback;
}

function fontOf(f: unknown): { size: number; weight: string } {
  const o = (f ?? {}) as { size?: number; weight?: string | number };
  return { size: typeof o.size === 'number' ? o.size : 12, weight: String(o.weight ?? 'normal') };
}

export function svgText(
  x: number,
  y: number,
  text: string,
  opts: {
    size?: number;
    anchor?: 'start' | 'middle' | 'end';
    baseline?: string;
    rotate?: number;
    fill?: string;
    weight?: string;
  } = {},
): string {
  const rot = opts.rotate ? ` transform="rotate(${n(opts.rotate)} ${n(x)} ${n(y)})"` : '';
  return (
    `<text x="${n(x)}" y="${n(y)}" font-family="${FONT}" font-size="${opts.size ?? 12}"` +
    ` font-weight="${opts.weight ?? 'normal'}" fill="${esc(opts.fill ?? '#374151')}"` +
    ` text-anchor="${opts.anchor ?? 'start'}" dominant-baseline="${opts.baseline ?? 'middle'}"${rot}>` +
    `${esc(text)}</text>`
  );
}

const BASELINE: Record<string, string> = {
  top: 'hanging',
  middle: 'middle',
  bottom: 'text-after-edge',
  alphabetic: 'alphabetic',
};
const ANCHOR: Record<string, 'start' | 'middle' | 'end'> = {
  left: 'start',
  start: 'start',
  center: 'middle',
  right: 'end',
  end: 'end',
};

interface LabelItem {
  label: string | string[];
  font: { size?: number; string?: string };
  options: {
    translation: [number, number];
    rotation: number;
    textAlign: string;
    textBaseline: string;
  };
}

function scaleSvg(scale: Scale, area: Chart['chartArea']): string {
  const out: string[] = [];
  const opts = scale.options as unknown as {
    display?: boolean | string;
    grid?: { display?: boolean; drawOnChartArea?: boolean; color?: unknown };
    ticks?: { display?: boolean; color?: unknown };
    title?: { display?: boolean; text?: string | string[]; font?: unknown; color?: unknown };
  };
  if (opts.display === false) return '';
  const horizontal = scale.isHorizontal();
  if (opts.grid?.display !== false && opts.grid?.drawOnChartArea !== false) {
    const gc = typeof opts.grid?.color === 'string' ? opts.grid.color : 'rgba(0,0,0,0.1)';
    for (let i = 0; i < scale.ticks.length; i++) {
      const p = scale.getPixelForTick(i);
      if (!Number.isFinite(p)) continue;
      out.push(
        horizontal
          ? `<line x1="${n(p)}" y1="${n(area.top)}" x2="${n(p)}" y2="${n(area.bottom)}" stroke="${esc(gc)}" stroke-width="1"/>`
          : `<line x1="${n(area.left)}" y1="${n(p)}" x2="${n(area.right)}" y2="${n(p)}" stroke="${esc(gc)}" stroke-width="1"/>`,
      );
    }
  }
  if (opts.ticks?.display !== false) {
    const items = (
      scale as unknown as { getLabelItems(area: Chart['chartArea']): LabelItem[] }
    ).getLabelItems(area);
    const tc = color(opts.ticks?.color, '#4b5563');
    for (const it of items) {
      const [x, y] = it.options.translation;
      const lines = Array.isArray(it.label) ? it.label : [it.label];
      const size = it.font.size ?? 12;
      lines.forEach((line, k) =>
        out.push(
          svgText(x, y + k * size * 1.2, String(line), {
            size,
            anchor: ANCHOR[it.options.textAlign] ?? 'middle',
            baseline: BASELINE[it.options.textBaseline] ?? 'middle',
            rotate: (-it.options.rotation * 180) / Math.PI || 0,
            fill: tc,
          }),
        ),
      );
    }
  }
  const title = opts.title;
  if (title?.display && title.text) {
    const text = Array.isArray(title.text) ? title.text.join(' ') : title.text;
    const f = fontOf(title.font);
    const tcol = color(title.color, '#374151');
    if (horizontal) {
      const y = scale.position === 'top' ? scale.top + f.size * 0.8 : scale.bottom - f.size * 0.7;
      out.push(
        svgText((area.left + area.right) / 2, y, text, {
          size: f.size,
          anchor: 'middle',
          fill: tcol,
          weight: f.weight,
        }),
      );
    } else {
      const x = scale.position === 'right' ? scale.right - f.size * 0.7 : scale.left + f.size * 0.7;
      out.push(
        svgText(x, (area.top + area.bottom) / 2, text, {
          size: f.size,
          anchor: 'middle',
          rotate: scale.position === 'right' ? 90 : -90,
          fill: tcol,
          weight: f.weight,
        }),
      );
    }
  }
  return out.join('\n');
}

interface PointLike {
  x: number;
  y: number;
  skip?: boolean;
  options?: {
    radius?: number;
    pointStyle?: unknown;
    backgroundColor?: unknown;
    borderColor?: unknown;
    borderWidth?: number;
    rotation?: number;
  };
}

function pointSvg(p: PointLike): string {
  const o = p.options ?? {};
  const r = o.radius ?? 0;
  if (!(r > 0) || p.skip || !Number.isFinite(p.x) || !Number.isFinite(p.y)) return '';
  const fill = esc(color(o.backgroundColor));
  const stroke = esc(color(o.borderColor));
  const sw = n(o.borderWidth ?? 1);
  const style = typeof o.pointStyle === 'string' ? o.pointStyle : 'circle';
  const rot = o.rotation ? ` transform="rotate(${n(o.rotation)} ${n(p.x)} ${n(p.y)})"` : '';
  if (style === 'triangle') {
    const h = r * 1.5;
    return `<path d="M${n(p.x)} ${n(p.y - h * 0.66)}L${n(p.x + r)} ${n(p.y + h * 0.33)}L${n(p.x - r)} ${n(p.y + h * 0.33)}Z" fill="${fill}" stroke="${stroke}" stroke-width="${sw}"${rot}/>`;
  }
  if (style === 'line' || style === 'dash') {
    const x1 = style === 'dash' ? p.x : p.x - r;
    return `<line x1="${n(x1)}" y1="${n(p.y)}" x2="${n(p.x + r)}" y2="${n(p.y)}" stroke="${stroke}" stroke-width="${sw}"${rot}/>`;
  }
  if (style === 'cross' || style === 'crossRot') {
    const t = style === 'crossRot' ? ` transform="rotate(45 ${n(p.x)} ${n(p.y)})"` : rot;
    return `<path d="M${n(p.x - r)} ${n(p.y)}H${n(p.x + r)}M${n(p.x)} ${n(p.y - r)}V${n(p.y + r)}" stroke="${stroke}" stroke-width="${sw}" fill="none"${t}/>`;
  }
  if (style === 'rect' || style === 'rectRot') {
    const t = style === 'rectRot' ? ` transform="rotate(45 ${n(p.x)} ${n(p.y)})"` : rot;
    return `<rect x="${n(p.x - r * 0.8)}" y="${n(p.y - r * 0.8)}" width="${n(r * 1.6)}" height="${n(r * 1.6)}" fill="${fill}" stroke="${stroke}" stroke-width="${sw}"${t}/>`;
  }
  return `<circle cx="${n(p.x)}" cy="${n(p.y)}" r="${n(r)}" fill="${fill}" stroke="${stroke}" stroke-width="${sw}"/>`;
}

function linePath(points: PointLike[], stepped: unknown): string[] {
  const segments: string[] = [];
  let d = '';
  let prev: PointLike | null = null;
  for (const p of points) {
    if (p.skip || !Number.isFinite(p.x) || !Number.isFinite(p.y)) {
      if (d !== '') segments.push(d);
      d = '';
      prev = null;
      continue;
    }
    if (prev === null) d = `M${n(p.x)} ${n(p.y)}`;
    else if (stepped === 'middle') {
      const mid = (prev.x + p.x) / 2;
      d += `L${n(mid)} ${n(prev.y)}L${n(mid)} ${n(p.y)}L${n(p.x)} ${n(p.y)}`;
    } else if (stepped) {
      // As Chart.js's _steppedLineTo (no flip): 'after' rises first, others run level first.
      d +=
        stepped === 'after'
          ? `L${n(prev.x)} ${n(p.y)}L${n(p.x)} ${n(p.y)}`
          : `L${n(p.x)} ${n(prev.y)}L${n(p.x)} ${n(p.y)}`;
    } else d += `L${n(p.x)} ${n(p.y)}`;
    prev = p;
  }
  if (d !== '') segments.push(d);
  return segments;
}

function datasetSvg(chart: Chart, index: number, clipId: string): string {
  const meta = chart.getDatasetMeta(index);
  const out: string[] = [];
  const points = meta.data as unknown as PointLike[];
  if (meta.type === 'bar') {
    for (const el of meta.data) {
      const b = (
        el as unknown as { getProps(k: string[], final?: boolean): Record<string, unknown> }
      ).getProps(['x', 'y', 'base', 'width', 'height', 'horizontal'], true) as {
        x: number;
        y: number;
        base: number;
        width: number;
        height: number;
        horizontal: boolean;
      };
      const o = (
        el as unknown as {
          options: { backgroundColor?: unknown; borderColor?: unknown; borderWidth?: number };
        }
      ).options;
      if (![b.x, b.y, b.base].every(Number.isFinite)) continue;
      const [x, y, w, h] = b.horizontal
        ? [Math.min(b.x, b.base), b.y - b.height / 2, Math.abs(b.x - b.base), b.height]
        : [b.x - b.width / 2, Math.min(b.y, b.base), b.width, Math.abs(b.base - b.y)];
      const bw = typeof o.borderWidth === 'number' ? o.borderWidth : 0;
      out.push(
        `<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" fill="${esc(color(o.backgroundColor))}"` +
          (bw > 0 ? ` stroke="${esc(color(o.borderColor))}" stroke-width="${n(bw)}"` : '') +
          '/>',
      );
    }
    return `<g clip-path="url(#${clipId})">${out.join('')}</g>`;
  }
  const ds = chart.data.datasets[index] as {
    showLine?: boolean;
    fill?: unknown;
    stepped?: unknown;
  };
  const line = (meta.dataset as unknown as { options?: Record<string, unknown> } | undefined)
    ?.options;
  const showLine =
    ds.showLine !== false && (chart.options as { showLine?: boolean }).showLine !== false;
  if (line !== undefined && showLine) {
    const segs = linePath(points, line.stepped ?? ds.stepped);
    const fill = ds.fill;
    if (fill === true || fill === 'origin' || fill === 'start') {
      const yScale = chart.scales[meta.yAxisID ?? 'y'];
      const base = fill === 'start' ? chart.chartArea.bottom : yScale.getPixelForValue(0);
      for (const seg of linePath(points, line.stepped ?? ds.stepped)) {
        const xs = [...seg.matchAll(/[ML](-?[\d.]+) /g)].map((m) => Number(m[1]));
        if (xs.length === 0) continue;
        out.push(
          `<path d="${seg}L${n(xs[xs.length - 1])} ${n(base)}L${n(xs[0])} ${n(base)}Z" fill="${esc(color(line.backgroundColor, 'rgba(0,0,0,0.1)'))}" stroke="none"/>`,
        );
      }
    }
    const dash =
      Array.isArray(line.borderDash) && line.borderDash.length > 0
        ? ` stroke-dasharray="${(line.borderDash as number[]).join(' ')}"`
        : '';
    for (const seg of segs)
      out.push(
        `<path d="${seg}" fill="none" stroke="${esc(color(line.borderColor))}" stroke-width="${n(Number(line.borderWidth ?? 1))}" stroke-linejoin="round" stroke-linecap="round"${dash}/>`,
      );
  }
  for (const p of points) out.push(pointSvg(p));
  return `<g clip-path="url(#${clipId})">${out.join('')}</g>`;
}

function legendSvg(chart: Chart): string {
  const legend = (
    chart as unknown as {
      legend?: {
        options?: {
          display?: boolean;
          labels?: { boxWidth?: number; boxHeight?: number; font?: unknown };
        };
        legendItems?: {
          text: string;
          fillStyle?: unknown;
          strokeStyle?: unknown;
          hidden?: boolean;
          lineWidth?: number;
          lineDash?: number[];
          pointStyle?: unknown;
        }[];
        legendHitBoxes?: { left: number; top: number; width: number; height: number }[];
      };
    }
  ).legend;
  if (legend?.options?.display === false || !legend?.legendItems || !legend.legendHitBoxes)
    return '';
  const box = legend.options?.labels?.boxWidth ?? 40;
  const f = fontOf(legend.options?.labels?.font);
  const out: string[] = [];
  legend.legendItems.forEach((item, i) => {
    const hb = legend.legendHitBoxes?.[i];
    if (hb === undefined) return;
    const cy = hb.top + hb.height / 2;
    const boxH = Math.min(legend.options?.labels?.boxHeight ?? f.size, hb.height);
    const dash =
      item.lineDash && item.lineDash.length > 0
        ? ` stroke-dasharray="${item.lineDash.join(' ')}"`
        : '';
    out.push(
      `<rect x="${n(hb.left)}" y="${n(cy - boxH / 2)}" width="${n(box)}" height="${n(boxH)}" fill="${esc(color(item.fillStyle, '#fff'))}" stroke="${esc(color(item.strokeStyle, '#000'))}" stroke-width="${n(Math.min(item.lineWidth ?? 1, 3))}"${dash}/>`,
    );
    out.push(
      svgText(hb.left + box + f.size / 2, cy, item.text, {
        size: f.size,
        fill: item.hidden ? '#9ca3af' : '#374151',
      }),
    );
  });
  return out.join('\n');
}

export interface ChartSvgOptions {
  /** Lines written above the chart (title, then the parameters). */
  caption?: string[];
  extras?: SvgExtra[];
}

/**
 * Caption lines wrapped to `width` CSS pixels (estimated from the font size: the first line 13px
 * bold, the others 11px), so no caption is cut off in an export.
 */
export function wrapCaption(lines: readonly string[], width: number): string[] {
  const out: string[] = [];
  lines.forEach((line, i) => {
    const perChar = i === 0 ? 7.6 : 6.1;
    const max = Math.max(20, Math.floor((width - 16) / perChar));
    let rest = line;
    while (rest.length > max) {
      let cut = rest.lastIndexOf(' ', max);
      if (cut < max / 2) cut = max;
      out.push(rest.slice(0, cut));
      rest = `  ${rest.slice(cut).trimStart()}`;
    }
    out.push(rest);
  });
  return out;
}

/** The chart as a standalone SVG document (CSS pixel units, white background). */
export function chartToSvg(chart: Chart, opts: ChartSvgOptions = {}): string {
  const caption = wrapCaption(opts.caption ?? [], chart.width);
  const bold =
    (opts.caption ?? []).length > 0
      ? wrapCaption(opts.caption!.slice(0, 1), chart.width).length
      : 0;
  const lineH = 15;
  const top = caption.length > 0 ? caption.length * lineH + 8 : 0;
  const w = chart.width;
  const h = chart.height + top;
  const area = chart.chartArea;
  const clipId = `plot-${Math.random().toString(36).slice(2, 8)}`;
  const parts: string[] = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n(w)}" height="${n(h)}" viewBox="0 0 ${n(w)} ${n(h)}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
  ];
  caption.forEach((line, i) =>
    parts.push(
      svgText(8, 6 + i * lineH + lineH / 2, line, {
        size: i < bold ? 13 : 11,
        weight: i < bold ? 'bold' : 'normal',
        fill: i < bold ? '#111827' : '#4b5563',
      }),
    ),
  );
  parts.push(`<g transform="translate(0 ${top})">`);
  parts.push(
    `<defs><clipPath id="${clipId}"><rect x="${n(area.left - 4)}" y="${n(area.top - 4)}" width="${n(area.right - area.left + 8)}" height="${n(area.bottom - area.top + 8)}"/></clipPath></defs>`,
  );
  for (const scale of Object.values(chart.scales)) parts.push(scaleSvg(scale, area));
  parts.push(
    `<rect x="${n(area.left)}" y="${n(area.top)}" width="${n(area.right - area.left)}" height="${n(area.bottom - area.top)}" fill="none" stroke="rgba(0,0,0,0.25)"/>`,
  );
  for (const extra of opts.extras ?? []) parts.push(extra(chart));
  // Chart.js draws higher `order` first; keep that stacking.
  const order = chart.data.datasets
    .map((d, i) => ({ i, order: (d as { order?: number }).order ?? 0 }))
    .filter(({ i }) => chart.isDatasetVisible(i))
    .sort((a, b) => b.order - a.order || b.i - a.i);
  for (const { i } of order) parts.push(datasetSvg(chart, i, clipId));
  parts.push(legendSvg(chart));
  parts.push('</g>', '</svg>');
  return parts.filter((p) => p !== '').join('\n') + '\n';
}
