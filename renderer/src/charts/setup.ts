/** Chart.js registration (tree-shaken parts), the zoom plugin and our guest-region plugin. */
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

export interface GuestRegionOptions {
  /** V: guest memory in pages. Sizes below it are invisible to the hypervisor. */
  guestPages?: number;
  label?: string;
}

declare module 'chart.js' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface PluginOptionsByType<TType extends ChartType> {
    guestRegion?: GuestRegionOptions;
  }
}

/**
 * Shades the x range from the axis minimum to V (the sizes a hypervisor cannot observe: it only
 * sees the guest's misses) and labels it.
 */
export const guestRegionPlugin: Plugin<'line'> = {
  id: 'guestRegion',
  beforeDatasetsDraw(chart) {
    const opts = chart.options.plugins?.guestRegion;
    const v = opts?.guestPages;
    const x = chart.scales.x;
    if (v === undefined || x === undefined) return;
    const { top, bottom, left, right } = chart.chartArea;
    const end = Math.min(right, Math.max(left, x.getPixelForValue(v)));
    if (end <= left) return;
    const ctx = chart.ctx;
    ctx.save();
    ctx.fillStyle = 'rgba(120, 130, 145, 0.13)';
    ctx.fillRect(left, top, end - left, bottom - top);
    ctx.strokeStyle = 'rgba(90, 100, 115, 0.7)';
    ctx.setLineDash([4, 3]);
    ctx.beginPath();
    ctx.moveTo(end, top);
    ctx.lineTo(end, bottom);
    ctx.stroke();
    ctx.setLineDash([]);
    // The label sits above the plot area (the chart reserves room for it with layout padding),
    // so it never hides a curve: small sizes miss a lot, so curves crowd the band's top.
    const label = opts?.label ?? 'shaded: sizes below V, not visible to the hypervisor';
    ctx.fillStyle = 'rgba(60, 68, 80, 0.95)';
    ctx.font = '11px system-ui, sans-serif';
    ctx.textBaseline = 'bottom';
    let text = `V = ${v} · ${label}`;
    while (text.length > 8 && ctx.measureText(text).width > right - left)
      text = `${text.slice(0, -2)}…`;
    ctx.fillText(text, left, top - 3);
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
