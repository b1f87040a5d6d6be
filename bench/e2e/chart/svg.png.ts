import { Resvg } from '@resvg/resvg-js';

// DejaVu Sans from npm: charts render the same on any machine, with no system fonts installed.
const FONT_FILE = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');

/** Renders an SVG to PNG bytes (resvg, prebuilt from npm). */
export function svgToPng(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    font: { fontFiles: [FONT_FILE], loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
