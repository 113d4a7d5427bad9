/**
 * A chart's SVG as PNG at twice its size (@resvg/resvg-js). The charts' font (DejaVu Sans) is
 * loaded from its file when installed at a usual place — scanning every system font for each
 * chart costs as much as drawing it; elsewhere the system's fonts are used.
 */
import { existsSync } from 'node:fs';
import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';

export const PNG_SCALE = 2;

const FONT_DIRS = [
  '/usr/share/fonts/truetype/dejavu',
  '/usr/share/fonts/dejavu',
  '/usr/share/fonts/TTF',
  '/usr/local/share/fonts',
];

let fontOptions: ResvgRenderOptions['font'] | null = null;

function fonts(): ResvgRenderOptions['font'] {
  if (fontOptions !== null) return fontOptions;
  for (const dir of FONT_DIRS) {
    const files = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) => `${dir}/${f}`);
    if (files.every((f) => existsSync(f)))
      return (fontOptions = {
        loadSystemFonts: false,
        fontFiles: files,
        defaultFontFamily: 'DejaVu Sans',
      });
  }
  return (fontOptions = { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' });
}

export function svgToPng(svg: string): Uint8Array {
  const r = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: PNG_SCALE },
    background: '#ffffff',
    font: fonts(),
  });
  return new Uint8Array(r.render().asPng());
}
