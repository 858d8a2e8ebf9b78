/**
 * Comparisons for the Compare view's tests, made of hand-chosen numbers (so each expectation can be
 * checked by eye) and real statistics of tiny pieces (describePieces), validated against the
 * contract's ComparisonSchema so a fixture cannot drift from what main sends.
 */
import { CorpusStatisticsSchema } from '../../../core/music/stats/schema';
import { ComparisonSchema, type Comparison, type ModelComparison } from '../../../core/ipc/schemas';
import { MUSPY_METRIC_NAMES, type MusPyMetricName } from '../../../core/metrics/muspy';
import { YANG_LERCH_FEATURE_NAMES, type YangLerchFeatureName } from '../../../core/metrics/yang-lerch';
import { describePieces } from '../../../core/music/stats/describe';
import type { Piece } from '../../../core/music/types';

/** A one-track piece of quarter notes at 480 ppq in 4/4, with the given pitches. */
export function melody(pitches: readonly number[], name = 'melody'): Piece {
  return {
    name,
    ppq: 480,
    durationTicks: pitches.length * 480,
    duration: pitches.length * 0.5,
    tempos: [{ ticks: 0, bpm: 120 }],
    timeSignatures: [{ ticks: 0, numerator: 4, denominator: 4 }],
    keySignatures: [],
    tracks: [
      {
        name: 'voice',
        program: 0,
        channel: 0,
        isDrum: false,
        notes: pitches.map((pitch, index) => ({ ticks: index * 480, durationTicks: 480, time: index * 0.5, duration: 0.5, pitch, velocity: 90 })),
        controlChanges: [],
      },
    ],
  };
}

type Means = Partial<Record<MusPyMetricName, number | null>>;

export function musPy(pieces: number, means: Means, sd = 0.5) {
  const metrics = {} as Record<MusPyMetricName, { n: number; mean: number | null; sd: number | null; values: (number | null)[] }>;
  for (const name of MUSPY_METRIC_NAMES) {
    const mean = means[name] === undefined ? 1 : means[name]!;
    metrics[name] = { n: mean === null ? 0 : pieces, mean, sd: mean === null ? null : sd, values: Array.from({ length: pieces }, () => mean) };
  }
  return { pieces, options: { polyphonyThreshold: 2, grooveResolution: 24 }, metrics };
}

export function relative(overlaps: Partial<Record<YangLerchFeatureName, number | null>>, referencePieces = 4, generatedPieces = 2) {
  return {
    referencePieces,
    generatedPieces,
    options: { bandwidth: 'scott' as const, gridPoints: null, curvePoints: 101, transitionThresholdSeconds: 0.05 },
    features: YANG_LERCH_FEATURE_NAMES.map((feature) => {
      const overlap = overlaps[feature] === undefined ? 0.5 : overlaps[feature]!;
      const empty = { count: 0, mean: null, sd: null, min: null, max: null };
      return {
        feature,
        dimensions: 1,
        absolute: { reference: { n: 0, mean: null, sd: null }, generated: { n: 0, mean: null, sd: null } },
        distances: { intraReference: empty, intraGenerated: empty, inter: empty },
        reference: overlap === null ? null : { overlapArea: overlap, klDivergence: 1 - overlap, bandwidths: { intra: 1, inter: 1 }, degenerate: false },
        generated: null,
        curves: null,
      };
    }),
  };
}

export interface ModelFixture {
  readonly modelId: number;
  readonly name: string;
  readonly nll?: number | null;
  readonly discrete?: boolean;
  readonly bound?: boolean;
  readonly means?: Means;
  readonly overlaps?: Partial<Record<YangLerchFeatureName, number | null>>;
  readonly samples?: readonly Piece[];
  readonly clipIds?: readonly number[];
  readonly history?: readonly { iteration: number; logLikelihoodPerToken: number }[];
}

export function modelComparison(fixture: ModelFixture): ModelComparison {
  const samples = fixture.samples ?? [melody([60, 62, 64, 65]), melody([67, 65, 64, 62])];
  const nll = fixture.nll === undefined ? 2 : fixture.nll;
  const discrete = fixture.discrete ?? true;
  return {
    modelId: fixture.modelId,
    modelName: fixture.name,
    family: 'hmm',
    representation: discrete ? 'pitch' : 'note',
    nllPerToken: nll,
    perplexity: nll === null || !discrete ? null : Math.exp(nll),
    nllIsBound: fixture.bound ?? false,
    discrete,
    trainingSeconds: 3.5,
    sizeBytes: 2048,
    history: [...(fixture.history ?? [{ iteration: 1, logLikelihoodPerToken: -3 }, { iteration: 2, logLikelihoodPerToken: -2.5 }])],
    clipIds: [...(fixture.clipIds ?? samples.map((_, index) => fixture.modelId * 100 + index + 1))],
    musPy: musPy(samples.length, fixture.means ?? {}),
    relative: relative(fixture.overlaps ?? {}, 4, samples.length),
    statistics: CorpusStatisticsSchema.parse(describePieces(samples)),
  };
}

export interface ComparisonFixture {
  readonly id?: number;
  readonly status?: Comparison['status'];
  readonly modelIds?: readonly number[];
  readonly referenceMeans?: Means;
  readonly referencePieces?: readonly Piece[];
  readonly models?: readonly ModelFixture[] | null;
  readonly preferences?: Comparison['preferences'];
}

/** A comparison checked against the contract's schema. `models: null` gives no results at all. */
export function makeComparison(fixture: ComparisonFixture = {}): Comparison {
  const reference = fixture.referencePieces ?? [melody([60, 64, 67, 72]), melody([62, 65, 69, 74]), melody([64, 67, 71, 76]), melody([65, 69, 72, 77])];
  const models = fixture.models === undefined ? [{ modelId: 1, name: 'Small' }, { modelId: 2, name: 'Large' }] : fixture.models;
  const modelIds = fixture.modelIds ?? (models ?? []).map((model) => model.modelId);
  const comparison = {
    id: fixture.id ?? 5,
    name: 'Small vs Large on Chorales',
    corpusId: 1,
    corpusName: 'Chorales',
    modelIds: [...modelIds],
    status: fixture.status ?? 'done',
    jobId: 9,
    samplesPerModel: 2,
    referenceSplit: 'test' as const,
    error: null,
    createdAt: '2025-01-01 10:00:00',
    results:
      models === null
        ? null
        : {
            reference: {
              split: 'test' as const,
              pieces: reference.length,
              musPy: musPy(reference.length, fixture.referenceMeans ?? {}),
              statistics: describePieces(reference),
              pieceIds: reference.map((_, index) => 1000 + index),
            },
            models: models.map(modelComparison),
          },
    preferences: fixture.preferences ?? modelIds.map((modelId) => ({ modelId, wins: 0, losses: 0, ties: 0 })),
  };
  return ComparisonSchema.parse(comparison);
}
