import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineChart, lineChartSvg } from './chart/line-chart.svg';
import { svgToPng } from './chart/svg.png';
import type { E2eResults } from './e2e.runner';

export interface ChartFile {
  file: string;
  title: string;
}

const perSecond = (rate: number) => `${Math.round(rate).toLocaleString('en-US')}/s`;

/** The lag bound as a line across the held phases. */
function boundLine(steady: E2eResults['steady'], bound: number): { x: number; y: number }[] {
  const end = Math.max(1, ...steady.filter((r) => r.held).flatMap((r) => r.partitionLag.map((p) => p.x)));
  return [
    { x: 0, y: bound },
    { x: end, y: bound },
  ];
}

/** Lag and throughput over time, per variant, for the drain and the steady phases, as PNG files in `dir`. */
export function writeCharts(results: E2eResults, dir: string): ChartFile[] {
  const steady = results.steady.map((result) => ({
    ...result,
    key: `${result.variant.key} at ${perSecond(result.targetRate)}`,
  }));
  const charts: (LineChart & { file: string })[] = [
    {
      file: 'e2e-drain-lag.png',
      title: `Drain of ${results.backlog.records.toLocaleString('en-US')} readings: consumer-group lag`,
      xLabel: 'seconds since the consumer processes started',
      yLabel: 'records not committed (broker)',
      series: results.drains.map((result) => ({ label: result.variant.key, points: result.lag })),
    },
    {
      file: 'e2e-drain-throughput.png',
      title: 'Drain: records stored per second',
      xLabel: 'seconds since the consumer processes started',
      yLabel: 'records/s',
      series: results.drains.map((result) => ({ label: result.variant.key, points: result.throughput })),
    },
    {
      file: 'e2e-steady-lag.png',
      title: 'Steady load: consumer-group lag',
      xLabel: 'seconds since the warm-up ended',
      yLabel: 'records not committed (broker)',
      series: steady.map((result) => ({ label: result.key, points: result.lag })),
    },
    {
      // The overloaded phases' millions dwarf the held ones in the chart above: these get their own.
      file: 'e2e-steady-held-lag.png',
      title: 'Steady load, the phases held: the partition furthest behind',
      xLabel: 'seconds since the warm-up ended',
      yLabel: 'records not committed (broker)',
      series: [
        ...steady
          .filter((result) => result.held)
          .map((result) => ({ label: result.key, points: result.partitionLag })),
        {
          label: `bound: one batch (${results.config.appBatchSize})`,
          points: boundLine(steady, results.config.appBatchSize),
        },
      ],
    },
    {
      file: 'e2e-steady-throughput.png',
      title: 'Steady load: records stored per second',
      xLabel: 'seconds since the warm-up ended',
      yLabel: 'records/s',
      series: steady.map((result) => ({ label: result.key, points: result.throughput })),
    },
  ];
  return charts.map((chart) => {
    writeFileSync(join(dir, chart.file), svgToPng(lineChartSvg(chart)));
    return { file: chart.file, title: chart.title };
  });
}
