/** A chart's SVG as PNG at twice its size (@resvg/resvg-js, the system's fonts). */
import { Resvg } from '@resvg/resvg-js';

export const PNG_SCALE = 2;

export function svgToPng(svg: string): Uint8Array {
  const r = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: PNG_SCALE },
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return new Uint8Array(r.render().asPng());
}
