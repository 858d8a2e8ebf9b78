/**
 * One histogram of the reference and every model overlaid (uPlot): the reference as grey bars, each
 * model as a line with points in its colour, all normalised to shares so sets of different sizes
 * compare. The bin under the cursor is read out in the header with every series' share.
 */
import { useLayoutEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { HISTOGRAM_TITLES, type HistogramOverlay } from './compare-model';

interface PlotTheme {
  readonly text: string;
  readonly grid: string;
  readonly axis: string;
  readonly font: string;
  readonly labelFont: string;
}

function readTheme(element: Element): PlotTheme {
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

/** "#a6b0bb" → "rgba(166,176,187,0.3)". */
function withAlpha(hex: string, alpha: number): string {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) return hex;
  return `rgba(${parseInt(match[1]!, 16)},${parseInt(match[2]!, 16)},${parseInt(match[3]!, 16)},${alpha})`;
}

function percent(share: number): string {
  const value = share * 100;
  return `${value >= 10 || value === 0 ? value.toFixed(0) : value.toFixed(1)}%`;
}

export function OverlayHistogram({ overlay, height = 200 }: { overlay: HistogramOverlay; height?: number }) {
  const host = useRef<HTMLDivElement>(null);
  const [hovered, setHovered] = useState<number | null>(null);
  const { title, xLabel } = HISTOGRAM_TITLES[overlay.kind];

  useLayoutEffect(() => {
    const element = host.current;
    if (!element) return undefined;
    const theme = readTheme(element);
    const bins = overlay.labels.length;
    const width = () => Math.max(200, Math.floor(element.clientWidth));
    const axisCommon = { stroke: theme.text, font: theme.font, labelFont: theme.labelFont, labelSize: 18, labelGap: 2 };
    const series: uPlot.Series[] = [{}];
    for (const entry of overlay.series) {
      series.push(
        entry.reference
          ? {
              label: entry.name,
              stroke: withAlpha(entry.colour, 0.55),
              fill: withAlpha(entry.colour, 0.22),
              width: 1,
              points: { show: false },
              paths: uPlot.paths.bars!({ size: [0.86, 64], align: 0, gap: 1 }),
            }
          : {
              label: entry.name,
              stroke: entry.colour,
              width: 2,
              points: { show: true, size: 6, fill: entry.colour, stroke: entry.colour },
            },
      );
    }
    const options: uPlot.Options = {
      width: width(),
      height,
      legend: { show: false },
      padding: [10, 12, 0, 0],
      cursor: { y: false, points: { show: false }, drag: { x: false, y: false, setScale: false } },
      select: { show: false, left: 0, top: 0, width: 0, height: 0 },
      scales: {
        x: { time: false, range: () => [-0.5, Math.max(0.5, bins - 0.5)] },
        y: { range: (_plot, _min, max) => [0, max > 0 ? Math.min(1, max * 1.1) : 1] },
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
          splits: () => overlay.labels.map((_, index) => index),
          values: (_plot, splits) => splits.map((index) => overlay.tickLabels[index] ?? ''),
        },
        {
          ...axisCommon,
          label: 'Share',
          size: 44,
          gap: 6,
          space: 26,
          grid: { stroke: theme.grid, width: 1 },
          ticks: { show: false },
          values: (_plot, splits) => splits.map((value) => `${Math.round(value * 100)}%`),
        },
      ],
      series,
      hooks: { setCursor: [(plot) => setHovered(plot.cursor.idx ?? null)] },
    };
    const data: uPlot.AlignedData = [overlay.labels.map((_, index) => index), ...overlay.series.map((entry) => [...entry.shares])];
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
  }, [overlay, xLabel, height]);

  return (
    <figure className="plot-card compare-histogram" data-testid="compare-histogram" data-histogram={overlay.kind}>
      <figcaption className="plot-header">
        <span className="plot-title">{title}</span>
        <span className="plot-readout" aria-live="off">
          {hovered === null ? (
            <span className="muted">share per bin · hover to read</span>
          ) : (
            <>
              <span className="plot-readout-label">{overlay.labels[hovered]}</span>
              {overlay.series.map((entry) => (
                <span key={entry.key} className="overlay-readout-value" style={{ color: entry.colour }} title={entry.name}>
                  {percent(entry.shares[hovered] ?? 0)}
                </span>
              ))}
            </>
          )}
        </span>
      </figcaption>
      <div className="plot-canvas" ref={host} style={{ height }} />
    </figure>
  );
}
