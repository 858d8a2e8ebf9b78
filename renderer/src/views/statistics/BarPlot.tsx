/**
 * One histogram as a uPlot bar chart: bars on a category axis (bar i at x = i), counts on y, colours
 * and fonts from the theme's CSS variables, sized to its container (ResizeObserver), with a readout
 * of the bar under the cursor in the header instead of a floating tooltip.
 */
import { useLayoutEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatCount } from '../../lib/format';
import { compactCount, modeIndex, shareOf, thinTicks, type BarSeries } from './statistics-model';

export type PlotTone = 'accent' | 'teal' | 'violet' | 'amber';

export interface BarPlotProps {
  readonly name: string;
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: BarSeries;
  /** What a bar counts, for the readout: "notes", "pieces". */
  readonly unit: string;
  readonly tone?: PlotTone;
  readonly wide?: boolean;
  readonly height?: number;
}

interface PlotTheme {
  readonly text: string;
  readonly label: string;
  readonly grid: string;
  readonly axis: string;
  readonly bar: string;
  readonly fill: string;
  readonly font: string;
  readonly labelFont: string;
}

function readTheme(element: Element, tone: PlotTone): PlotTheme {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const family = read('--font-ui', 'system-ui, sans-serif');
  return {
    text: read('--plot-text', '#8b95a1'),
    label: read('--plot-label', '#a9b2bc'),
    grid: read('--plot-grid', 'rgba(255,255,255,0.06)'),
    axis: read('--plot-axis', '#363e48'),
    bar: read(`--plot-${tone}`, '#4ea1ff'),
    fill: read(`--plot-${tone}-fill`, 'rgba(78,161,255,0.55)'),
    font: `10.5px ${family}`,
    labelFont: `600 10.5px ${family}`,
  };
}

/** Whole-number steps only: a count axis never reads 0.5. */
const COUNT_INCREMENTS = Array.from({ length: 10 }, (_, power) => [1, 2, 5].map((step) => step * 10 ** power)).flat();

function longestLabel(labels: readonly string[]): number {
  return labels.reduce((longest, label) => Math.max(longest, label.length), 0);
}

export function BarPlot({ name, title, xLabel, yLabel, series, unit, tone = 'accent', wide = false, height = 190 }: BarPlotProps) {
  const canvasHost = useRef<HTMLDivElement>(null);
  const [hovered, setHovered] = useState<number | null>(null);

  useLayoutEffect(() => {
    const host = canvasHost.current;
    if (!host) return undefined;
    const theme = readTheme(host, tone);
    const barCount = series.counts.length;
    const tickLabelWidth = longestLabel(series.tickLabels) * 6.2 + 12;
    const width = () => Math.max(160, Math.floor(host.clientWidth));
    const axisCommon = { stroke: theme.text, font: theme.font, labelFont: theme.labelFont, labelSize: 18, labelGap: 2 };
    const options: uPlot.Options = {
      width: width(),
      height,
      legend: { show: false },
      padding: [10, 12, 0, 0],
      cursor: { y: false, points: { show: false }, drag: { x: false, y: false, setScale: false } },
      select: { show: false, left: 0, top: 0, width: 0, height: 0 },
      scales: {
        x: { time: false, range: () => [-0.5, Math.max(0.5, barCount - 0.5)] },
        y: { range: (_plot, _min, max) => [0, max > 0 ? max * 1.08 : 1] },
      },
      axes: [
        {
          ...axisCommon,
          label: xLabel,
          gap: 4,
          size: 24,
          grid: { show: false },
          ticks: { stroke: theme.axis, width: 1, size: 4 },
          border: { show: true, stroke: theme.axis, width: 1 },
          splits: (plot) => [...(series.ticks ?? thinTicks(barCount, plot.bbox.width / uPlot.pxRatio, tickLabelWidth))],
          values: (_plot, splits) => splits.map((index) => series.tickLabels[index] ?? ''),
        },
        {
          ...axisCommon,
          label: yLabel,
          size: 46,
          gap: 6,
          incrs: COUNT_INCREMENTS,
          space: 28,
          grid: { stroke: theme.grid, width: 1 },
          ticks: { show: false },
          values: (_plot, splits) => splits.map(compactCount),
        },
      ],
      series: [
        {},
        {
          label: unit,
          stroke: theme.bar,
          fill: theme.fill,
          width: 1,
          points: { show: false },
          paths: uPlot.paths.bars!({ size: [0.8, 56], align: 0, gap: barCount > 60 ? 0 : 1 }),
        },
      ],
      hooks: { setCursor: [(plot) => setHovered(plot.cursor.idx ?? null)] },
    };
    const plot = new uPlot(
      options,
      [series.counts.map((_, index) => index), [...series.counts]],
      host,
    );
    const observer = new ResizeObserver(() => {
      if (width() !== plot.width) plot.setSize({ width: width(), height });
    });
    observer.observe(host);
    return () => {
      observer.disconnect();
      plot.destroy();
      setHovered(null);
    };
  }, [series, xLabel, yLabel, unit, tone, height]);

  const peak = modeIndex(series.counts);
  const shown = hovered ?? peak;
  return (
    <figure className={`plot-card${wide ? ' is-wide' : ''}`} data-testid="stat-plot" data-plot={name}>
      <figcaption className="plot-header">
        <span className="plot-title">{title}</span>
        <span className="plot-readout" aria-live="off">
          {shown === null ? (
            <span className="muted">No data</span>
          ) : (
            <>
              <span className="plot-readout-key">{hovered === null ? 'Peak' : ''}</span>
              <span className="plot-readout-label">{series.labels[shown]}</span>
              <span className="plot-readout-value">
                {formatCount(series.counts[shown] ?? 0)} {unit}
              </span>
              <span className="plot-readout-share">{shareOf(series.counts[shown] ?? 0, series.counts)}</span>
            </>
          )}
        </span>
      </figcaption>
      <div className="plot-canvas" ref={canvasHost} style={{ height }} />
    </figure>
  );
}
