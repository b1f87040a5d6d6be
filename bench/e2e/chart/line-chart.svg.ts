export interface LineSeries {
  label: string;
  points: readonly { x: number; y: number }[];
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly LineSeries[];
}

const WIDTH = 1100;
const HEIGHT = 540;
const PLOT = { left: 90, top: 50, right: 780, bottom: 470 };
// Colour-blind-safe first (Okabe–Ito), then dashed repeats for charts with more lines.
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];

/** A line chart as SVG: axes from zero with round ticks, one line per series, a legend at the right. */
export function lineChartSvg(chart: LineChart): string {
  const all = chart.series.flatMap((series) => series.points);
  const xTicks = roundTicks(Math.max(1, ...all.map((point) => point.x)));
  const yTicks = roundTicks(Math.max(1, ...all.map((point) => point.y)));
  const xMax = xTicks.at(-1)!;
  const yMax = yTicks.at(-1)!;
  const sx = (x: number) => PLOT.left + (x / xMax) * (PLOT.right - PLOT.left);
  const sy = (y: number) => PLOT.bottom - (y / yMax) * (PLOT.bottom - PLOT.top);

  const grid = [
    ...xTicks.map(
      (tick) =>
        `<line x1="${sx(tick)}" y1="${PLOT.top}" x2="${sx(tick)}" y2="${PLOT.bottom}" stroke="#e5e5e5"/>` +
        `<text x="${sx(tick)}" y="${PLOT.bottom + 20}" text-anchor="middle">${compact(tick)}</text>`,
    ),
    ...yTicks.map(
      (tick) =>
        `<line x1="${PLOT.left}" y1="${sy(tick)}" x2="${PLOT.right}" y2="${sy(tick)}" stroke="#e5e5e5"/>` +
        `<text x="${PLOT.left - 8}" y="${sy(tick) + 4}" text-anchor="end">${compact(tick)}</text>`,
    ),
  ];
  const lines = chart.series.map((series, i) => {
    const points = series.points.map((point) => `${sx(point.x).toFixed(1)},${sy(point.y).toFixed(1)}`);
    return `<polyline fill="none" stroke-width="2" ${stroke(i)} points="${points.join(' ')}"/>`;
  });
  const legend = chart.series.map((series, i) => {
    const y = PLOT.top + 8 + i * 20;
    return (
      `<line x1="${PLOT.right + 20}" y1="${y}" x2="${PLOT.right + 48}" y2="${y}" stroke-width="3" ${stroke(i)}/>` +
      `<text x="${PLOT.right + 56}" y="${y + 4}">${escape(series.label)}</text>`
    );
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="DejaVu Sans" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="28" text-anchor="middle" font-size="17">${escape(chart.title)}</text>`,
    ...grid,
    `<rect x="${PLOT.left}" y="${PLOT.top}" width="${PLOT.right - PLOT.left}" height="${PLOT.bottom - PLOT.top}" fill="none" stroke="#888"/>`,
    `<text x="${(PLOT.left + PLOT.right) / 2}" y="${HEIGHT - 30}" text-anchor="middle" font-size="13">${escape(chart.xLabel)}</text>`,
    `<text transform="translate(22 ${(PLOT.top + PLOT.bottom) / 2}) rotate(-90)" text-anchor="middle" font-size="13">${escape(chart.yLabel)}</text>`,
    ...lines,
    ...legend,
    '</svg>',
  ].join('\n');
}

function stroke(index: number): string {
  const colour = COLOURS[index % COLOURS.length];
  return index < COLOURS.length ? `stroke="${colour}"` : `stroke="${colour}" stroke-dasharray="7 4"`;
}

/** 0 up to the first tick at or above `max`, in steps of 1, 2 or 5 × a power of ten (about six ticks). */
function roundTicks(max: number): number[] {
  const rough = max / 6;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((candidate) => candidate >= rough)!;
  const count = Math.ceil(max / step);
  return Array.from({ length: count + 1 }, (_, i) => i * step);
}

function compact(value: number): string {
  if (value >= 1e6) return `${+(value / 1e6).toFixed(2)}M`;
  if (value >= 1e3) return `${+(value / 1e3).toFixed(2)}k`;
  return `${+value.toFixed(2)}`;
}

function escape(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}
