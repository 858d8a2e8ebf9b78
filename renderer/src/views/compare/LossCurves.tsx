/**
 * "Pictures" III: the training runs of the compared models on one plot (uPlot), training
 * log-likelihood per token by iteration, one line per model in its colour; the iteration under the
 * cursor is read out with every model's value.
 */
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ModelComparison } from '../../../../core/ipc/schemas';
import { curvesOnOneAxis, curvesRange, formatNumber } from './compare-model';

interface CurveTheme {
  readonly text: string;
  readonly grid: string;
  readonly axis: string;
  readonly font: string;
  readonly labelFont: string;
}

function readTheme(element: Element): CurveTheme {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const family = read('--font-ui', 'system-ui, sans-serif');
  return {
    text: read('--plot-text', '#8b95a1'),
    grid: read('--plot-grid', 'rgba(255,255,255,0.06)'),
    axis: read('--plot-axis', '#363e48'),
    font: `10.5px ${family}`,
    labelFont: `600 10.5px ${family}`,
  };
}

/** A model's last reported value (models stop at different iterations). */
function lastValue(values: readonly (number | null)[]): number | null {
  for (let index = values.length - 1; index >= 0; index--) if (values[index] !== null) return values[index]!;
  return null;
}

/** Whole iterations only on the x axis. */
const ITERATION_INCREMENTS = Array.from({ length: 6 }, (_, power) => [1, 2, 5].map((step) => step * 10 ** power)).flat();

export function LossCurves({ models, modelIds, height = 220 }: { models: readonly ModelComparison[]; modelIds: readonly number[]; height?: number }) {
  const host = useRef<HTMLDivElement>(null);
  const [hovered, setHovered] = useState<number | null>(null);
  const curves = useMemo(() => curvesOnOneAxis(models, modelIds), [models, modelIds]);
  const points = curves.iterations.length;

  useLayoutEffect(() => {
    const element = host.current;
    if (!element) return undefined;
    const theme = readTheme(element);
    const width = () => Math.max(200, Math.floor(element.clientWidth));
    const axisCommon = { stroke: theme.text, font: theme.font, labelFont: theme.labelFont, labelSize: 18, labelGap: 2 };
    const first = curves.iterations[0] ?? 0;
    const last = curves.iterations.at(-1) ?? 1;
    const options: uPlot.Options = {
      width: width(),
      height,
      legend: { show: false },
      padding: [12, 14, 0, 0],
      cursor: { y: false, points: { size: 6 }, drag: { x: false, y: false, setScale: false } },
      select: { show: false, left: 0, top: 0, width: 0, height: 0 },
      scales: {
        x: { time: false, range: () => [Math.min(first, 1), Math.max(last, first + 1)] },
        y: { range: () => curvesRange(curves) ?? [-1, 0] },
      },
      axes: [
        {
          ...axisCommon,
          label: 'Iteration',
          size: 30,
          gap: 4,
          incrs: ITERATION_INCREMENTS,
          space: 44,
          grid: { show: false },
          ticks: { stroke: theme.axis, width: 1, size: 4 },
          border: { show: true, stroke: theme.axis, width: 1 },
        },
        {
          ...axisCommon,
          label: 'Train LL / token (nats)',
          size: 58,
          gap: 6,
          space: 30,
          grid: { stroke: theme.grid, width: 1 },
          ticks: { show: false },
          values: (_plot, splits) => splits.map((value) => formatNumber(value, Math.abs(value) >= 10 ? 1 : 2)),
        },
      ],
      series: [
        {},
        ...curves.series.map(
          (series): uPlot.Series => ({
            label: series.name,
            stroke: series.colour,
            width: 2,
            spanGaps: true,
            points: { show: (plot) => (plot.data[0]?.length ?? 0) <= 40, size: 4, fill: series.colour, stroke: series.colour },
          }),
        ),
      ],
      hooks: { setCursor: [(plot) => setHovered(plot.cursor.idx ?? null)] },
    };
    const data: uPlot.AlignedData = [[...curves.iterations], ...curves.series.map((series) => [...series.values])];
    const plot = new uPlot(options, data, element);
    const observer = new ResizeObserver(() => {
      if (width() !== plot.width) plot.setSize({ width: width(), height });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
      setHovered(null);
    };
  }, [curves, height]);

  const shown = hovered ?? (points > 0 ? points - 1 : null);
  return (
    <figure className="plot-card compare-loss-curves" data-testid="compare-loss-curves" data-points={points} data-series={curves.series.length}>
      <figcaption className="plot-header">
        <span className="plot-title">Training curves</span>
        <span className="plot-readout" aria-live="off">
          {shown === null ? (
            <span className="muted">No training history</span>
          ) : (
            <>
              <span className="plot-readout-key">{hovered === null ? 'Final' : 'Iteration'}</span>
              {hovered === null ? null : <span className="plot-readout-label">#{curves.iterations[shown]}</span>}
              {curves.series.map((series) => (
                <span key={series.modelId} className="overlay-readout-value" style={{ color: series.colour }} title={series.name}>
                  {formatNumber(hovered === null ? lastValue(series.values) : (series.values[shown] ?? null), 3)}
                </span>
              ))}
            </>
          )}
        </span>
      </figcaption>
      <div className="plot-canvas curve-canvas" ref={host} style={{ height }} />
    </figure>
  );
}
