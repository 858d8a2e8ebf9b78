/**
 * The live training curve. HMM: training log-likelihood per token by iteration (uPlot line), with
 * the held-out value as a dashed reference once it is known. Neural models: the training and the
 * validation loss by epoch (lower is better). Polyphonic models: the train and held-out frame NLL
 * in nats per grid step by epoch (lower is better). The plot is made once per model and fed
 * new data with setData on every model.updated, so a long run redraws in place instead of
 * rebuilding the chart 100 times. Colours come from the theme's CSS variables, as BarPlot's do.
 */
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ModelSummary } from '../../../../core/ipc/schemas';
import { formatFrameNll, formatLogLikelihood, isNeuralModel, isPolyphonicModel } from './model-format';
import { curveData, curveRange, frameNllCurveData, iterationRange, lossCurveData, toAlignedData, type CurveData } from './training-curve-model';

/** What the two lines are, per kind of model. */
const CURVE_TEXT = {
  hmm: {
    title: 'Training log-likelihood per token',
    x: 'Iteration',
    y: 'LL / token (nats)',
    train: 'train',
    valid: 'held-out',
    key: 'Iteration',
    unit: 'nats',
  },
  neural: {
    title: 'Loss per epoch',
    x: 'Epoch',
    y: 'Loss',
    train: 'train',
    valid: 'validation',
    key: 'Epoch',
    unit: '',
  },
  'frame-nll': {
    title: 'Frame NLL per epoch · lower is better',
    x: 'Epoch',
    y: 'nats / step',
    train: 'train',
    valid: 'held-out',
    key: 'Epoch',
    unit: 'nats',
  },
} as const;

type CurveKind = 'log-likelihood' | 'loss' | 'frame-nll';

function curveKindOf(model: Pick<ModelSummary, 'family'>): CurveKind {
  if (isPolyphonicModel(model)) return 'frame-nll';
  return isNeuralModel(model) ? 'loss' : 'log-likelihood';
}

function textOf(kind: CurveKind) {
  return kind === 'frame-nll' ? CURVE_TEXT['frame-nll'] : kind === 'loss' ? CURVE_TEXT.neural : CURVE_TEXT.hmm;
}

/** How each kind writes a y value (the axis passes fewer digits). */
function formatterOf(kind: CurveKind): (value: number | null | undefined, digits?: number) => string {
  return kind === 'frame-nll' ? formatFrameNll : kind === 'loss' ? formatLoss : formatLogLikelihood;
}

function formatLoss(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return value < 0.01 && value > 0 ? value.toExponential(2) : value.toFixed(digits);
}

interface CurveTheme {
  readonly text: string;
  readonly grid: string;
  readonly axis: string;
  readonly train: string;
  readonly trainFill: string;
  readonly valid: string;
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
    train: read('--plot-accent', '#5aa9ff'),
    trainFill: read('--plot-accent-area', 'rgba(78,161,255,0.10)'),
    valid: read('--plot-violet', '#b794ff'),
    font: `10.5px ${family}`,
    labelFont: `600 10.5px ${family}`,
  };
}

/** Whole iterations only on the x axis. */
const ITERATION_INCREMENTS = Array.from({ length: 6 }, (_, power) => [1, 2, 5].map((step) => step * 10 ** power)).flat();

export interface TrainingCurveProps {
  readonly model: ModelSummary;
  readonly height?: number;
}

export function TrainingCurve({ model, height = 220 }: TrainingCurveProps) {
  const host = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const [hovered, setHovered] = useState<number | null>(null);
  const kind = curveKindOf(model);
  // Both epoch-based kinds draw a held-out value per epoch (not a flat reference line).
  const neural = kind !== 'log-likelihood';
  const text = textOf(kind);
  const curve = useMemo(
    () =>
      kind === 'frame-nll'
        ? frameNllCurveData(model.history)
        : kind === 'loss'
          ? lossCurveData(model.history)
          : curveData(model.history, model.validLogLikelihoodPerToken),
    [kind, model.history, model.validLogLikelihoodPerToken],
  );
  const formatY = formatterOf(kind);
  // The scales' range functions read the latest curve and maximum through refs (the plot outlives renders).
  const curveRef = useRef<CurveData>(curve);
  const maxIterationsRef = useRef(model.settings.maxIterations);
  curveRef.current = curve;
  maxIterationsRef.current = model.settings.maxIterations;

  useLayoutEffect(() => {
    const element = host.current;
    if (!element) return undefined;
    const theme = readTheme(element);
    const labels = textOf(kind);
    const formatAxis = formatterOf(kind);
    const width = () => Math.max(200, Math.floor(element.clientWidth));
    const axisCommon = {
      stroke: theme.text,
      font: theme.font,
      labelFont: theme.labelFont,
      labelSize: 18,
      labelGap: 2,
    };
    const options: uPlot.Options = {
      width: width(),
      height,
      legend: { show: false },
      padding: [12, 14, 0, 0],
      cursor: {
        y: false,
        points: { size: 7, fill: theme.train },
        drag: { x: false, y: false, setScale: false },
      },
      select: { show: false, left: 0, top: 0, width: 0, height: 0 },
      scales: {
        x: {
          time: false,
          range: () => iterationRange(curveRef.current, maxIterationsRef.current),
        },
        y: { range: () => curveRange(curveRef.current) ?? [-1, 0] },
      },
      axes: [
        {
          ...axisCommon,
          label: labels.x,
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
          label: labels.y,
          size: 58,
          gap: 6,
          space: 30,
          grid: { stroke: theme.grid, width: 1 },
          ticks: { show: false },
          values: (_plot, splits) => splits.map((value) => formatAxis(value, Math.abs(value) >= 10 ? 1 : 2)),
        },
      ],
      series: [
        {},
        {
          label: labels.train,
          stroke: theme.train,
          fill: theme.trainFill,
          width: 2,
          points: {
            show: (plot) => (plot.data[0]?.length ?? 0) <= 40,
            size: 4,
            fill: theme.train,
          },
        },
        {
          label: labels.valid,
          stroke: theme.valid,
          width: 1.5,
          dash: [6, 4],
          points: {
            show: neural ? (plot) => (plot.data[0]?.length ?? 0) <= 40 : false,
            size: 4,
            fill: theme.valid,
          },
        },
      ],
      hooks: { setCursor: [(plot) => setHovered(plot.cursor.idx ?? null)] },
    };
    const plot = new uPlot(options, toAlignedData(curveRef.current), element);
    plotRef.current = plot;
    const observer = new ResizeObserver(() => {
      if (width() !== plot.width) plot.setSize({ width: width(), height });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
      plotRef.current = null;
      setHovered(null);
    };
  }, [height, neural, kind]);

  // Every new iteration: new data, scales recomputed, same plot.
  useLayoutEffect(() => {
    plotRef.current?.setData(toAlignedData(curve), true);
  }, [curve]);

  const shown = hovered ?? (curve.iterations.length > 0 ? curve.iterations.length - 1 : null);
  const valid = neural ? (shown === null ? null : curve.valid[shown]) : model.validLogLikelihoodPerToken;
  return (
    <figure className="plot-card curve-card" data-points={curve.iterations.length} data-kind={kind}>
      <figcaption className="plot-header">
        <span className="plot-title" title={kind === 'frame-nll' ? 'Negative log-likelihood of each grid step’s set of pitches, in nats: lower is better' : undefined}>
          {text.title}
        </span>
        <span className="curve-legend" aria-hidden="true">
          <span className="legend-item">
            <span className="legend-swatch legend-train" />
            {text.train}
          </span>
          <span className="legend-item">
            <span className="legend-swatch legend-valid" />
            {text.valid}
          </span>
        </span>
        <span className="plot-readout" aria-live="off" data-testid="curve-readout">
          {shown === null ? (
            <span className="muted">No iterations yet</span>
          ) : (
            <>
              <span className="plot-readout-key">{hovered === null ? 'Last' : text.key}</span>
              <span className="plot-readout-label">#{curve.iterations[shown]}</span>
              <span className="plot-readout-value">
                {formatY(curve.train[shown])}
                {text.unit ? ` ${text.unit}` : ''}
              </span>
              {valid !== null && valid !== undefined ? (
                <span className="plot-readout-valid">
                  {text.valid} {formatY(valid)}
                </span>
              ) : null}
            </>
          )}
        </span>
      </figcaption>
      <div className="plot-canvas curve-canvas" style={{ height }}>
        <div ref={host} data-testid="training-curve" />
        {curve.iterations.length === 0 ? (
          <div className="curve-empty">
            {model.status === 'training' ? (
              <>
                <span className="spinner" aria-hidden="true" /> Preparing the sequences and the first {neural ? 'epoch' : 'iteration'}…
              </>
            ) : (
              `This model has no completed ${neural ? 'epoch' : 'iteration'}.`
            )}
          </div>
        ) : null}
      </div>
    </figure>
  );
}
