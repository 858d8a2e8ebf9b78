/**
 * The per-iteration charts of the families that report more than one curve (MusicVAE, RL tuner),
 * apart from uPlot and React. Each chart is a few named series read from the history: the numbers a
 * TrainingPoint carries itself, or those of its `metrics` map under the keys the backend writes
 * (core/models/vae/studio.ts, core/models/rl/studio.ts). Keys no chart names are listed as "other
 * numbers" by their own name, so a new metric shows up rather than being lost.
 */
import type { ModelFamily, ModelSummary, TrainingPoint } from '../../../../core/ipc/schemas';

export interface SeriesSpec {
  readonly label: string;
  /** A key of `metrics`, or a function of the point. */
  readonly read: string | ((point: TrainingPoint) => number | undefined);
  /** Drawn dashed (held-out values). */
  readonly dashed?: boolean;
}

export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  /** What the y axis measures. */
  readonly unit: string;
  /** A sentence for the title's tooltip. */
  readonly explanation: string;
  readonly series: readonly SeriesSpec[];
  /** Fixed y range (accuracies: 0..1). */
  readonly range?: readonly [number, number];
  readonly percent?: boolean;
}

export const VAE_CHARTS: readonly ChartSpec[] = [
  {
    id: 'bound',
    title: 'Bound per token (≥ NLL) · lower is better',
    unit: 'nats/token',
    explanation:
      'The negative ELBO per melody step (reconstruction + KL, β = 1): an upper bound on the negative log-likelihood, so the true NLL is at most this. Held-out: the corpus’s validation split.',
    series: [
      { label: 'train', read: (point) => (Number.isFinite(point.logLikelihoodPerToken) ? -point.logLikelihoodPerToken : undefined) },
      { label: 'held-out', read: 'validNllBoundPerToken', dashed: true },
    ],
  },
  {
    id: 'accuracy',
    title: 'Reconstruction accuracy',
    unit: '%',
    explanation: 'The share of melody steps the decoder gives back as they were encoded (teacher-forced).',
    series: [
      { label: 'train', read: 'reconstructionAccuracy' },
      { label: 'held-out', read: 'validAccuracy', dashed: true },
    ],
    range: [0, 1],
    percent: true,
  },
  {
    id: 'kl',
    title: 'KL per segment',
    unit: 'nats',
    explanation: 'KL divergence of the posterior from the prior: how much the latent code carries. Near 0: posterior collapse.',
    series: [
      { label: 'train', read: 'kl' },
      { label: 'held-out', read: 'validKl', dashed: true },
    ],
  },
  {
    id: 'beta',
    title: 'β and scheduled sampling',
    unit: '',
    explanation: 'β: the KL term’s weight as it anneals to its maximum. Sampling: the probability the decoder is fed its own prediction.',
    series: [
      { label: 'β', read: 'beta' },
      { label: 'sampling', read: 'samplingProbability', dashed: true },
    ],
  },
];

export const RL_CHARTS: readonly ChartSpec[] = [
  {
    id: 'reward',
    title: 'Mean reward and its terms · higher is better',
    unit: 'per note',
    explanation: 'The episodes’ mean reward and each weighted term: discriminator log D(real), in key, repeats (a penalty), resolution, KL to the start model (a penalty).',
    series: [
      { label: 'reward', read: 'reward' },
      { label: 'discriminator', read: 'rewardDiscriminator', dashed: true },
      { label: 'in key', read: 'rewardInKey', dashed: true },
      { label: 'repeats', read: 'rewardRepeats', dashed: true },
      { label: 'resolution', read: 'rewardResolution', dashed: true },
      { label: 'KL', read: 'rewardKl', dashed: true },
    ],
  },
  {
    id: 'discriminator',
    title: 'Discriminator accuracy',
    unit: '%',
    explanation: 'How often the discriminator calls corpus phrases real and the policy’s fake. Near 50% on fake: the policy fools it.',
    series: [
      { label: 'real', read: 'discriminatorAccuracyReal' },
      { label: 'fake', read: 'discriminatorAccuracyFake', dashed: true },
    ],
    range: [0, 1],
    percent: true,
  },
  {
    id: 'kl',
    title: 'KL to the start model',
    unit: 'nats/note',
    explanation: 'How far the tuned policy has moved from the LSTM it started as.',
    series: [{ label: 'KL', read: 'kl' }],
  },
];

/** The charts of a family (none for the families with one training curve). */
export function chartsOf(family: ModelFamily): readonly ChartSpec[] {
  return family === 'vae' ? VAE_CHARTS : family === 'rl' ? RL_CHARTS : [];
}

export interface ChartData {
  readonly iterations: readonly number[];
  /** One array per series, aligned with `iterations` (null where the point lacks it). */
  readonly values: readonly (readonly (number | null)[])[];
}

function readValue(point: TrainingPoint, read: SeriesSpec['read']): number | null {
  const value = typeof read === 'string' ? point.metrics?.[read] : read(point);
  return value !== undefined && Number.isFinite(value) ? value : null;
}

/** One point per iteration in order; a repeated iteration's later report wins (a resumed run appends). */
function byIteration(history: readonly TrainingPoint[]): TrainingPoint[] {
  const latest = new Map<number, TrainingPoint>();
  for (const point of history) latest.set(point.iteration, point);
  return [...latest.keys()].sort((a, b) => a - b).map((iteration) => latest.get(iteration)!);
}

export function chartData(history: ModelSummary['history'], chart: ChartSpec): ChartData {
  const points = byIteration(history);
  return {
    iterations: points.map((point) => point.iteration),
    values: chart.series.map((series) => points.map((point) => readValue(point, series.read))),
  };
}

/** The last known value of each series (null: none yet). */
export function lastValues(data: ChartData): readonly (number | null)[] {
  return data.values.map((series) => {
    for (let index = series.length - 1; index >= 0; index -= 1) if (series[index] !== null) return series[index]!;
    return null;
  });
}

/** y range with 8% headroom (at least 1e-3 tall), or the chart's fixed range. */
export function chartRange(data: ChartData, chart: ChartSpec): [number, number] {
  if (chart.range) return [chart.range[0], chart.range[1]];
  const values = data.values.flat().filter((value): value is number => value !== null);
  if (values.length === 0) return [0, 1];
  let low = Math.min(...values);
  let high = Math.max(...values);
  if (high - low < 1e-3) {
    low -= 5e-4;
    high += 5e-4;
  }
  const pad = (high - low) * 0.08;
  return [low - pad, high + pad];
}

/** Metric keys of the history that no chart of the family shows, with their last value. */
export function otherMetrics(history: ModelSummary['history'], family: ModelFamily): readonly { readonly key: string; readonly value: number }[] {
  const shown = new Set(chartsOf(family).flatMap((chart) => chart.series.map((series) => series.read).filter((read): read is string => typeof read === 'string')));
  const last = new Map<string, number>();
  for (const point of byIteration(history)) {
    for (const [key, value] of Object.entries(point.metrics ?? {})) if (!shown.has(key) && Number.isFinite(value)) last.set(key, value);
  }
  return [...last.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) => ({ key, value }));
}

/** "validGreedyAccuracy" → "valid greedy accuracy". */
export function metricName(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

/** A chart value: "87.5%" for shares, else 3 significant decimals ("−0.412", "1.2e-4"). */
export function formatMetric(value: number | null, percent = false): string {
  if (value === null || !Number.isFinite(value)) return '—';
  if (percent) return `${(value * 100).toFixed(1)}%`;
  const size = Math.abs(value);
  const text = size !== 0 && size < 1e-3 ? value.toExponential(1) : size >= 1000 ? value.toFixed(0) : value.toFixed(3);
  return text.replace('-', '\u2212');
}
