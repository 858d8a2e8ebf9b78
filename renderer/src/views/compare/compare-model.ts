/**
 * The Compare view's numbers apart from React: the table (one row for the reference split, one per
 * model, and a placeholder per model still being measured while the job runs), which model sits
 * closest to the reference on each MusPy metric, which one scores best on each Yang & Lerch feature,
 * the overlaid histograms normalised to shares, the training curves on one axis, and a colour per
 * model. No DOM: unit-tested under Node.
 */
import type { Comparison, ModelComparison } from '../../../../core/ipc/schemas';
import type { MusPyMetricName, MusPySetMetrics } from '../../../../core/metrics/muspy';
import type { YangLerchFeatureName } from '../../../../core/metrics/yang-lerch';
import type { CorpusStatistics } from '../../../../core/music/stats/describe';
import { noteValueSeries, pitchClassSeries } from '../statistics/statistics-model';

/** U+2212, which lines up with digits in tabular figures where a hyphen does not. */
export const MINUS = '\u2212';

export interface MusPyColumn {
  readonly metric: MusPyMetricName;
  readonly label: string;
  /** What it measures, for the header's tooltip. */
  readonly description: string;
  readonly digits: number;
}

/** The MusPy metrics issue 8 names, in its order (the empty-measure rate is in the CSV only). */
export const MUSPY_COLUMNS: readonly MusPyColumn[] = [
  { metric: 'pitchRange', label: 'Pitch range', description: 'Highest minus lowest pitch, in semitones', digits: 1 },
  { metric: 'nPitchesUsed', label: 'Pitches used', description: 'Distinct pitches per piece', digits: 1 },
  { metric: 'nPitchClassesUsed', label: 'Pitch classes used', description: 'Distinct pitch classes per piece (at most 12)', digits: 1 },
  { metric: 'polyphony', label: 'Polyphony', description: 'Mean number of pitches sounding where any sounds', digits: 2 },
  { metric: 'polyphonyRate', label: 'Polyphony rate', description: 'Share of time steps with more than two pitches sounding', digits: 3 },
  { metric: 'scaleConsistency', label: 'Scale consistency', description: 'Largest share of notes in one major or minor scale', digits: 3 },
  { metric: 'pitchEntropy', label: 'Pitch entropy', description: 'Entropy of the pitch histogram, in bits', digits: 2 },
  { metric: 'pitchClassEntropy', label: 'Pitch-class entropy', description: 'Entropy of the pitch-class histogram, in bits', digits: 2 },
  { metric: 'emptyBeatRate', label: 'Empty-beat rate', description: 'Share of beats where no note sounds', digits: 3 },
  { metric: 'grooveConsistency', label: 'Groove consistency', description: 'How alike the onset patterns of consecutive bars are (1: identical)', digits: 3 },
];

export interface YangLerchColumn {
  readonly feature: YangLerchFeatureName;
  readonly label: string;
  readonly description: string;
}

export const YANG_LERCH_COLUMNS: readonly YangLerchColumn[] = [
  { feature: 'pitchClassHistogram', label: 'PC histogram', description: 'Pitch-class histogram (12 dimensions)' },
  { feature: 'pitchClassTransitionMatrix', label: 'PC transitions', description: 'Pitch-class transition matrix (144 dimensions)' },
  { feature: 'interOnsetInterval', label: 'IOI', description: 'Mean inter-onset interval' },
  { feature: 'noteLengthHistogram', label: 'Note lengths', description: 'Note-length histogram (12 classes)' },
  { feature: 'pitchRange', label: 'Pitch range', description: 'Highest minus lowest pitch' },
  { feature: 'averagePitchInterval', label: 'Average interval', description: 'Mean absolute interval between consecutive notes' },
];

/** One colour per model (a comparison holds at most 8), in the order of the comparison. */
export const MODEL_COLOURS: readonly string[] = ['#5aa9ff', '#4fd1b5', '#f2b45d', '#c39bff', '#ff7eb6', '#a3d95c', '#ff9b57', '#6fe3f2'];
export const REFERENCE_COLOUR = '#a6b0bb';

export function modelColour(index: number): string {
  return MODEL_COLOURS[((index % MODEL_COLOURS.length) + MODEL_COLOURS.length) % MODEL_COLOURS.length]!;
}

const FAMILY_LABELS: Readonly<Record<string, string>> = { hmm: 'HMM', lstm: 'LSTM', transformer: 'Transformer', polyphonic: 'Polyphonic', vae: 'MusicVAE', rl: 'RL tuner' };

/** "HMM", "LSTM", …; an unknown family as it is, upper-cased. */
export function familyLabel(family: string): string {
  return FAMILY_LABELS[family] ?? family.toUpperCase();
}

export interface ValueSummary {
  readonly n: number;
  readonly mean: number | null;
  readonly sd: number | null;
}

export interface OverlapCell {
  readonly overlapArea: number;
  readonly kl: number;
}

export interface LikelihoodCell {
  readonly nllPerToken: number | null;
  readonly perplexity: number | null;
  readonly isBound: boolean;
  readonly discrete: boolean;
}

export type TableRowKind = 'reference' | 'model' | 'pending';

export interface TableRow {
  readonly kind: TableRowKind;
  /** "reference", or the model id as text (the row's key and data-model-id). */
  readonly key: string;
  readonly modelId: number | null;
  readonly name: string;
  readonly family: string | null;
  readonly representation: string | null;
  readonly colour: string;
  /** Reference: pieces of the split; model: samples generated. */
  readonly pieces: number;
  readonly likelihood: LikelihoodCell | null;
  readonly trainingSeconds: number | null;
  readonly sizeBytes: number | null;
  readonly musPy: Readonly<Partial<Record<MusPyMetricName, ValueSummary>>>;
  /** The paper's measure per feature (reference intra-set vs inter-set); null where undefined. */
  readonly yangLerch: Readonly<Partial<Record<YangLerchFeatureName, OverlapCell | null>>>;
}

export interface ComparisonTable {
  readonly rows: readonly TableRow[];
  /** Per MusPy metric, the models whose mean is closest to the reference's (ties share it). */
  readonly closest: Readonly<Partial<Record<MusPyMetricName, readonly number[]>>>;
  /** Per feature, the models with the largest overlap area (the samples sit among the reference as it sits among itself). */
  readonly bestOverlap: Readonly<Partial<Record<YangLerchFeatureName, readonly number[]>>>;
  /** The models with the lowest held-out NLL among those with a comparable (discrete, exact) one. */
  readonly bestNll: readonly number[];
}

/** Values this close count as equal, so two models that both match the reference share the mark. */
const TIE_TOLERANCE = 1e-9;

function isFiniteNumber(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * The candidates whose value is closest to `reference` (all of them on a tie). Nothing is marked when
 * the reference is unknown or fewer than two candidates have a value: a lone model is not "closest".
 */
export function closestToReference(reference: number | null, candidates: readonly { readonly id: number; readonly value: number | null }[]): number[] {
  if (!isFiniteNumber(reference)) return [];
  const scored = candidates.filter((candidate): candidate is { id: number; value: number } => isFiniteNumber(candidate.value));
  if (scored.length < 2) return [];
  const distance = (value: number) => Math.abs(value - reference);
  const best = Math.min(...scored.map((candidate) => distance(candidate.value)));
  return scored.filter((candidate) => distance(candidate.value) - best <= TIE_TOLERANCE * Math.max(1, Math.abs(reference))).map((candidate) => candidate.id);
}

/** The candidates with the largest (or smallest) value; nothing with fewer than two values. */
export function extremeOf(candidates: readonly { readonly id: number; readonly value: number | null }[], direction: 'max' | 'min'): number[] {
  const scored = candidates.filter((candidate): candidate is { id: number; value: number } => isFiniteNumber(candidate.value));
  if (scored.length < 2) return [];
  const values = scored.map((candidate) => candidate.value);
  const best = direction === 'max' ? Math.max(...values) : Math.min(...values);
  return scored.filter((candidate) => Math.abs(candidate.value - best) <= TIE_TOLERANCE * Math.max(1, Math.abs(best))).map((candidate) => candidate.id);
}

function summaries(metrics: MusPySetMetrics): TableRow['musPy'] {
  const out: Partial<Record<MusPyMetricName, ValueSummary>> = {};
  for (const column of MUSPY_COLUMNS) {
    const summary = metrics.metrics[column.metric];
    out[column.metric] = { n: summary.n, mean: isFiniteNumber(summary.mean) ? summary.mean : null, sd: isFiniteNumber(summary.sd) ? summary.sd : null };
  }
  return out;
}

function modelRow(model: ModelComparison, index: number): TableRow {
  const yangLerch: Partial<Record<YangLerchFeatureName, OverlapCell | null>> = {};
  for (const feature of model.relative.features) {
    yangLerch[feature.feature] = feature.reference ? { overlapArea: feature.reference.overlapArea, kl: feature.reference.klDivergence } : null;
  }
  return {
    kind: 'model',
    key: String(model.modelId),
    modelId: model.modelId,
    name: model.modelName,
    family: model.family,
    representation: model.representation,
    colour: modelColour(index),
    pieces: model.clipIds.length,
    likelihood: { nllPerToken: model.nllPerToken, perplexity: model.perplexity, isBound: model.nllIsBound, discrete: model.discrete },
    trainingSeconds: model.trainingSeconds,
    sizeBytes: model.sizeBytes,
    musPy: summaries(model.musPy),
    yangLerch,
  };
}

export interface PendingModel {
  readonly id: number;
  readonly name: string;
  readonly family: string | null;
  readonly representation: string | null;
}

/**
 * The table of a comparison: the reference first, then each measured model in the comparison's order,
 * then a placeholder for each model still being measured (`known` gives their names, from the model
 * list; an unknown one reads "Model N").
 */
export function buildTable(comparison: Pick<Comparison, 'modelIds' | 'results' | 'status'>, known: readonly PendingModel[] = []): ComparisonTable {
  const results = comparison.results;
  const rows: TableRow[] = [];
  if (results) {
    rows.push({
      kind: 'reference',
      key: 'reference',
      modelId: null,
      name: `Reference · ${results.reference.split} split`,
      family: null,
      representation: null,
      colour: REFERENCE_COLOUR,
      pieces: results.reference.pieces,
      likelihood: null,
      trainingSeconds: null,
      sizeBytes: null,
      musPy: summaries(results.reference.musPy),
      yangLerch: {},
    });
  }
  const measured = results?.models ?? [];
  const measuredIds = new Set(measured.map((model) => model.modelId));
  comparison.modelIds.forEach((modelId, index) => {
    const model = measured.find((candidate) => candidate.modelId === modelId);
    if (model) rows.push(modelRow(model, index));
  });
  // A measured model that is no longer among modelIds (never happens today) still shows.
  measured.forEach((model, index) => {
    if (!comparison.modelIds.includes(model.modelId)) rows.push(modelRow(model, comparison.modelIds.length + index));
  });
  if (comparison.status === 'running') {
    comparison.modelIds.forEach((modelId, index) => {
      if (measuredIds.has(modelId)) return;
      const info = known.find((candidate) => candidate.id === modelId);
      rows.push({
        kind: 'pending',
        key: String(modelId),
        modelId,
        name: info?.name ?? `Model ${modelId}`,
        family: info?.family ?? null,
        representation: info?.representation ?? null,
        colour: modelColour(index),
        pieces: 0,
        likelihood: null,
        trainingSeconds: null,
        sizeBytes: null,
        musPy: {},
        yangLerch: {},
      });
    });
  }

  const models = rows.filter((row) => row.kind === 'model');
  const reference = rows.find((row) => row.kind === 'reference');
  const closest: Partial<Record<MusPyMetricName, readonly number[]>> = {};
  for (const column of MUSPY_COLUMNS) {
    closest[column.metric] = closestToReference(
      reference?.musPy[column.metric]?.mean ?? null,
      models.map((row) => ({ id: row.modelId!, value: row.musPy[column.metric]?.mean ?? null })),
    );
  }
  const bestOverlap: Partial<Record<YangLerchFeatureName, readonly number[]>> = {};
  for (const column of YANG_LERCH_COLUMNS) {
    bestOverlap[column.feature] = extremeOf(
      models.map((row) => ({ id: row.modelId!, value: row.yangLerch[column.feature]?.overlapArea ?? null })),
      'max',
    );
  }
  // Likelihoods compare only when they are exact probabilities of discrete tokens.
  const bestNll = extremeOf(
    models.map((row) => ({ id: row.modelId!, value: row.likelihood && row.likelihood.discrete && !row.likelihood.isBound ? row.likelihood.nllPerToken : null })),
    'min',
  );
  return { rows, closest, bestOverlap, bestNll };
}

/** A number with a true minus sign and `digits` decimals; "—" when unknown. */
export function formatNumber(value: number | null | undefined, digits: number): string {
  if (!isFiniteNumber(value)) return '—';
  const text = value.toFixed(digits);
  if (/^-0\.?0*$/.test(text)) return text.slice(1);
  return text.replace('-', MINUS);
}

/** Perplexity: two decimals below 10, one below 100, whole above, exponent from a million. */
export function formatPerplexity(value: number | null): string {
  if (!isFiniteNumber(value)) return '—';
  if (value < 10) return value.toFixed(2);
  if (value < 100) return value.toFixed(1);
  if (value < 1e6) return String(Math.round(value));
  return value.toExponential(2).replace('e+', 'e');
}

/** "12.3 ± 1.4" for a set's mean and SD (the SD left out when unknown). */
export function formatMeanSd(summary: ValueSummary | undefined, digits: number): { mean: string; sd: string | null } {
  if (!summary || summary.mean === null) return { mean: '—', sd: null };
  return { mean: formatNumber(summary.mean, digits), sd: summary.sd === null ? null : `± ${formatNumber(summary.sd, digits)}` };
}

/** The signed difference to the reference, for a tooltip: "+1.20 vs reference". */
export function formatDelta(value: number | null | undefined, reference: number | null | undefined, digits: number): string | null {
  if (!isFiniteNumber(value) || !isFiniteNumber(reference)) return null;
  const delta = value - reference;
  const sign = delta > 0 ? '+' : delta < 0 ? MINUS : '±';
  return `${sign}${Math.abs(delta).toFixed(digits)} vs reference`;
}

// ---- histograms -----------------------------------------------------------------------------

/** Counts as shares that add up to 1 (all zeros when there is nothing to count). */
export function normalise(counts: readonly number[]): number[] {
  let total = 0;
  for (const count of counts) {
    if (!Number.isFinite(count) || count < 0) throw new RangeError(`A histogram count is a number ≥ 0 (got ${count}).`);
    total += count;
  }
  return counts.map((count) => (total === 0 ? 0 : count / total));
}

export type HistogramKind = 'pitchClass' | 'interOnset' | 'duration';

export const HISTOGRAM_TITLES: Readonly<Record<HistogramKind, { readonly title: string; readonly xLabel: string; readonly unit: string }>> = {
  pitchClass: { title: 'Pitch classes', xLabel: 'Pitch class', unit: 'of notes' },
  interOnset: { title: 'Inter-onset intervals', xLabel: 'Interval (note value)', unit: 'of intervals' },
  duration: { title: 'Note durations', xLabel: 'Duration (note value)', unit: 'of notes' },
};

export interface OverlaySeries {
  readonly key: string;
  readonly name: string;
  readonly colour: string;
  readonly reference: boolean;
  /** Shares, one per bin, adding up to 1 (or all 0). */
  readonly shares: readonly number[];
  /** What the shares are of (notes or intervals), for the legend's tooltip. */
  readonly total: number;
}

export interface HistogramOverlay {
  readonly kind: HistogramKind;
  readonly labels: readonly string[];
  readonly tickLabels: readonly string[];
  readonly series: readonly OverlaySeries[];
}

function countsOf(statistics: CorpusStatistics, kind: HistogramKind): readonly number[] {
  if (kind === 'pitchClass') return statistics.pitchClass;
  return kind === 'interOnset' ? statistics.interOnset.counts : statistics.duration.counts;
}

function binLabels(statistics: CorpusStatistics, kind: HistogramKind): { labels: readonly string[]; tickLabels: readonly string[] } {
  if (kind === 'pitchClass') return pitchClassSeries(statistics.pitchClass);
  return noteValueSeries(kind === 'interOnset' ? statistics.interOnset : statistics.duration);
}

/** The reference and every model's samples on one histogram, each normalised to shares. */
export function histogramOverlay(results: NonNullable<Comparison['results']>, kind: HistogramKind, modelIds: readonly number[] = []): HistogramOverlay {
  const { labels, tickLabels } = binLabels(results.reference.statistics, kind);
  const bins = labels.length;
  const make = (key: string, name: string, colour: string, reference: boolean, statistics: CorpusStatistics): OverlaySeries => {
    const counts = countsOf(statistics, kind);
    if (counts.length !== bins) throw new RangeError(`The ${kind} histogram of ${name} has ${counts.length} bins, the reference's ${bins}.`);
    return { key, name, colour, reference, shares: normalise(counts), total: counts.reduce((sum, count) => sum + count, 0) };
  };
  const series = [make('reference', `Reference (${results.reference.split})`, REFERENCE_COLOUR, true, results.reference.statistics)];
  results.models.forEach((model, index) => {
    const position = modelIds.indexOf(model.modelId);
    series.push(make(String(model.modelId), model.modelName, modelColour(position === -1 ? index : position), false, model.statistics));
  });
  return { kind, labels, tickLabels, series };
}

// ---- training curves ------------------------------------------------------------------------

export interface CurveSeries {
  readonly modelId: number;
  readonly name: string;
  readonly colour: string;
  /** One value per x, null where this model has no such iteration. */
  readonly values: readonly (number | null)[];
}

export interface CurvesOnOneAxis {
  readonly iterations: readonly number[];
  readonly series: readonly CurveSeries[];
}

/**
 * Every model's training log-likelihood per token by iteration on one x axis (the union of their
 * iterations); a repeated iteration keeps its later report, as the Models view's curve does.
 */
export function curvesOnOneAxis(models: readonly Pick<ModelComparison, 'modelId' | 'modelName' | 'history'>[], modelIds: readonly number[] = []): CurvesOnOneAxis {
  const perModel = models.map((model) => {
    const byIteration = new Map<number, number>();
    for (const point of model.history) if (Number.isFinite(point.logLikelihoodPerToken)) byIteration.set(point.iteration, point.logLikelihoodPerToken);
    return byIteration;
  });
  const iterations = [...new Set(perModel.flatMap((byIteration) => [...byIteration.keys()]))].sort((a, b) => a - b);
  return {
    iterations,
    series: models.map((model, index) => {
      const position = modelIds.indexOf(model.modelId);
      return {
        modelId: model.modelId,
        name: model.modelName,
        colour: modelColour(position === -1 ? index : position),
        values: iterations.map((iteration) => perModel[index]!.get(iteration) ?? null),
      };
    }),
  };
}

/** The y range of the curves with 8% headroom, at least 0.02 nats tall; null without points. */
export function curvesRange(curves: CurvesOnOneAxis): [number, number] | null {
  const values = curves.series.flatMap((series) => series.values.filter(isFiniteNumber));
  if (values.length === 0) return null;
  let low = Math.min(...values);
  let high = Math.max(...values);
  if (high - low < 0.02) {
    const middle = (high + low) / 2;
    low = middle - 0.01;
    high = middle + 0.01;
  }
  const pad = (high - low) * 0.08;
  return [low - pad, high + pad];
}
