/**
 * A Chart.js chart as a PNG at `scale`× its CSS size (at least 2×): the chart is redrawn at that
 * device pixel ratio (crisp lines and text, not an upscaled bitmap), copied under an optional
 * caption, and the chart is put back as it was, all in one task (nothing flickers).
 */
import type { Chart } from 'chart.js';
import { wrapCaption } from './chart-svg.js';

export function pngScale(): number {
  return Math.max(2, Math.ceil(globalThis.devicePixelRatio || 1));
}

function redraw(chart: Chart, ratio: number | undefined): void {
  chart.options.devicePixelRatio = ratio;
  chart.resize();
  chart.update('none');
}

export async function chartToPng(
  chart: Chart,
  opts: { caption?: string[]; scale?: number } = {},
): Promise<Blob> {
  const scale = opts.scale ?? pngScale();
  const caption = wrapCaption(opts.caption ?? [], chart.width);
  const bold = wrapCaption((opts.caption ?? []).slice(0, 1), chart.width).length;
  const lineH = 15;
  const top = caption.length > 0 ? caption.length * lineH + 8 : 0;
  const out = document.createElement('canvas');
  out.width = Math.round(chart.width * scale);
  out.height = Math.round((chart.height + top) * scale);
  const ctx = out.getContext('2d');
  if (ctx === null) throw new Error('this browser cannot draw a PNG (no 2D canvas)');
  const before = chart.options.devicePixelRatio;
  try {
    redraw(chart, scale);
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(chart.canvas, 0, Math.round(top * scale));
  } finally {
    redraw(chart, before);
  }
  ctx.scale(scale, scale);
  ctx.textBaseline = 'middle';
  caption.forEach((line, i) => {
    ctx.font =
      i < bold ? 'bold 13px Helvetica, Arial, sans-serif' : '11px Helvetica, Arial, sans-serif';
    ctx.fillStyle = i < bold ? '#111827' : '#4b5563';
    ctx.fillText(line, 8, 6 + i * lineH + lineH / 2);
  });
  return new Promise((resolve, reject) =>
    out.toBlob(
      (b) => (b === null ? reject(new Error('could not encode the PNG')) : resolve(b)),
      'image/png',
    ),
  );
}
