/**
 * The MusicVAE's and the RL tuner's training charts: one small uPlot per chart of metric-curves.ts
 * (made once per model, fed new data on every update), each with its legend and last values, then
 * any number the backend reports that no chart names, by its own name.
 */
import { useLayoutEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ModelSummary } from '../../../../core/ipc/schemas';
import { chartData, chartRange, chartsOf, formatMetric, lastValues, metricName, otherMetrics, type ChartData, type ChartSpec } from './metric-curves';

const PALETTE = ['--plot-accent', '--plot-violet', '--plot-green', '--plot-amber', '--plot-red', '--plot-teal'];
const FALLBACK = ['#5aa9ff', '#b794ff', '#5fd08a', '#f2b54a', '#ff6b6b', '#4fd1c5'];

function colours(element: Element): string[] {
  const style = getComputedStyle(element);
  return PALETTE.map((name, index) => style.getPropertyValue(name).trim() || FALLBACK[index]!);
}

function aligned(data: ChartData): uPlot.AlignedData {
  return [[...data.iterations], ...data.values.map((series) => [...series])] as uPlot.AlignedData;
}

function MetricChart({ chart, model, height }: { chart: ChartSpec; model: ModelSummary; height: number }) {
  const host = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const data = useMemo(() => chartData(model.history, chart), [model.history, chart]);
  const dataRef = useRef(data);
  dataRef.current = data;
  const last = lastValues(data);

  useLayoutEffect(() => {
    const element = host.current;
    if (!element) return undefined;
    const palette = colours(element);
    const style = getComputedStyle(element);
    const text = style.getPropertyValue('--plot-text').trim() || '#8b95a1';
    const grid = style.getPropertyValue('--plot-grid').trim() || 'rgba(255,255,255,0.06)';
    const width = () => Math.max(200, Math.floor(element.clientWidth));
    const options: uPlot.Options = {
      width: width(),
      height,
      legend: { show: false },
      padding: [10, 10, 0, 0],
      cursor: { y: false, drag: { x: false, y: false, setScale: false } },
      select: { show: false, left: 0, top: 0, width: 0, height: 0 },
      scales: {
        x: { time: false, range: () => [Math.min(dataRef.current.iterations[0] ?? 1, 1), Math.max(2, dataRef.current.iterations.at(-1) ?? 2)] },
        y: { range: () => chartRange(dataRef.current, chart) },
      },
      axes: [
        { stroke: text, grid: { show: false }, size: 26, space: 40 },
        {
          stroke: text,
          grid: { stroke: grid, width: 1 },
          size: 50,
          values: (_plot, splits) => splits.map((value) => (chart.percent ? `${Math.round(value * 100)}%` : formatMetric(value).replace(/\.?0+$/, ''))),
        },
      ],
      series: [
        {},
        ...chart.series.map((series, index) => ({
          label: series.label,
          stroke: palette[index % palette.length]!,
          width: index === 0 ? 2 : 1.5,
          ...(series.dashed ? { dash: [5, 4] } : {}),
          spanGaps: true,
          points: { show: (plot: uPlot) => (plot.data[0]?.length ?? 0) <= 30, size: 4 },
        })),
      ],
    };
    const plot = new uPlot(options, aligned(dataRef.current), element);
    plotRef.current = plot;
    const observer = new ResizeObserver(() => {
      if (width() !== plot.width) plot.setSize({ width: width(), height });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
      plotRef.current = null;
    };
  }, [chart, height]);

  useLayoutEffect(() => {
    plotRef.current?.setData(aligned(data), true);
  }, [data]);

  return (
    <figure className="plot-card curve-card" data-testid={`metric-chart-${chart.id}`} data-points={data.iterations.length} data-last={JSON.stringify(last)}>
      <figcaption className="plot-header">
        <span className="plot-title" title={chart.explanation}>
          {chart.title}
        </span>
        <span className="curve-legend">
          {chart.series.map((series, index) => (
            <span key={series.label} className="legend-item" data-testid={`metric-${chart.id}-${series.label}`} data-value={last[index] ?? undefined}>
              <span className="metric-legend-swatch" style={{ background: `var(${PALETTE[index % PALETTE.length]}, ${FALLBACK[index % FALLBACK.length]})` }} />
              {series.label} <span className="strong">{formatMetric(last[index] ?? null, chart.percent)}</span>
            </span>
          ))}
          {chart.unit && !chart.percent ? <span className="muted small">{chart.unit}</span> : null}
        </span>
      </figcaption>
      <div className="plot-canvas curve-canvas" style={{ height }}>
        <div ref={host} />
        {data.iterations.length === 0 ? <div className="curve-empty">{model.status === 'training' ? 'Waiting for the first report…' : 'Nothing reported yet.'}</div> : null}
      </div>
    </figure>
  );
}

export function MetricCharts({ model, height = 150 }: { model: ModelSummary; height?: number }) {
  const charts = chartsOf(model.family);
  const others = otherMetrics(model.history, model.family);
  return (
    <section className="metric-charts-section" aria-label="Training charts" data-testid="metric-charts">
      <div className="metric-charts">
        {charts.map((chart) => (
          <MetricChart key={chart.id} chart={chart} model={model} height={height} />
        ))}
      </div>
      {others.length > 0 ? (
        <p className="metric-others" data-testid="metric-others">
          <span>Also reported (last {model.family === 'rl' ? 'iteration' : 'epoch'}):</span>
          {others.map(({ key, value }) => (
            <span key={key} data-key={key}>
              {metricName(key)} <span className="strong">{formatMetric(value)}</span>
            </span>
          ))}
        </p>
      ) : null}
    </section>
  );
}
