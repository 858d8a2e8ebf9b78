/**
 * How a model reads in the studio, apart from React: log-likelihoods with a true minus sign,
 * perplexity, status and engine labels, the settings in one line, and how far a training run is.
 */
import {
  isNeuralSettings,
  isPolyphonicSettings,
  isRlSettings,
  isVaeSettings,
  type HmmSettings,
  type Job,
  type LstmSettings,
  type ModelEngine,
  type ModelFamily,
  type ModelRepresentation,
  type ModelSettings,
  type ModelSummary,
  type PolyphonicSettings,
  type RlSettings,
  type TransformerSettings,
  type VaeSettings,
} from '../../../../core/ipc/schemas';
import { formatCount } from '../../lib/format';

/** U+2212: a minus sign lines up with digits in tabular figures, where a hyphen does not. */
export const MINUS = '\u2212';

/** A log-likelihood per token in nats: "−2.413"; "—" when not known (yet). */
export function formatLogLikelihood(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const text = value.toFixed(digits);
  // -0.000 reads as 0.000.
  return /^-0\.0*$/.test(text) ? text.slice(1) : text.replace('-', MINUS);
}

/** Parses what formatLogLikelihood wrote (for tests and copy-paste): "−2.413" → -2.413. */
export function parseLogLikelihood(text: string): number {
  return Number(text.trim().replace(MINUS, '-'));
}

/**
 * Perplexity: exp(−LL per token), how many equally likely tokens the model is choosing between on
 * average. Meaningful only when every token's likelihood is a probability (pitch, event); the note
 * model's Gaussian features are densities, so it has none.
 */
export function perplexity(logLikelihoodPerToken: number, representation: ModelRepresentation): number | null {
  if (representation === 'note' || !Number.isFinite(logLikelihoodPerToken)) return null;
  return Math.exp(-logLikelihoodPerToken);
}

export function formatPerplexity(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  if (value < 10) return value.toFixed(2);
  if (value < 100) return value.toFixed(1);
  if (value < 1e6) return formatCount(value);
  return value.toExponential(2).replace('e+', 'e');
}

export const STATUS_LABEL: Record<ModelSummary['status'], string> = {
  training: 'Training',
  trained: 'Trained',
  stopped: 'Stopped',
  failed: 'Failed',
};

export const ENGINE_LABEL: Record<ModelEngine, string> = {
  native: 'Native (C++)',
  typescript: 'TypeScript',
  wasm: 'WebAssembly',
  cpu: 'CPU',
};

export const ENGINE_DETAIL: Record<ModelEngine, string> = {
  native: 'Node-API addon',
  typescript: 'pure-TypeScript fallback (addon not loaded)',
  wasm: 'TensorFlow.js wasm fallback (addon not loaded)',
  cpu: 'TensorFlow.js cpu backend (slowest)',
};

export const INIT_LABEL: Record<HmmSettings['init'], string> = {
  kmeans: 'k-means',
  random: 'random',
  unigram: 'unigram',
};

export const FAMILY_LABEL: Record<ModelFamily, string> = {
  hmm: 'HMM',
  lstm: 'LSTM',
  transformer: 'Transformer',
  polyphonic: 'Polyphonic',
  vae: 'MusicVAE',
  rl: 'RL tuner',
};

/** The family as the Train dialog and the Compare view name it in full. */
export const FAMILY_LONG_LABEL: Record<ModelFamily, string> = {
  ...FAMILY_LABEL,
  polyphonic: 'Polyphonic (RNN-NADE)',
  vae: 'MusicVAE (hierarchical VAE)',
};

/** A MusicVAE: samples from its prior, reconstructs and interpolates segments of a fixed length. */
export function isVaeModel(model: Pick<ModelSummary, 'family'>): boolean {
  return model.family === 'vae';
}

/** An RL-tuned LSTM: trained by iterations of policy gradient, generates as an LSTM does. */
export function isRlModel(model: Pick<ModelSummary, 'family'>): boolean {
  return model.family === 'rl';
}

/** An LSTM or a transformer: one note or event at a time, scored by losses and a per-token likelihood. */
export function isNeuralModel(model: Pick<ModelSummary, 'family'>): boolean {
  return model.family === 'lstm' || model.family === 'transformer';
}

/** A polyphonic (piano-roll) model: scored by its frame NLL; harmonizes, infills and continues. */
export function isPolyphonicModel(model: Pick<ModelSummary, 'family'>): boolean {
  return model.family === 'polyphonic';
}

/** Whether the model trains by epochs (LSTM, transformer, polyphonic) rather than Baum-Welch iterations. */
export function trainsByEpochs(model: Pick<ModelSummary, 'family'>): boolean {
  return model.family !== 'hmm';
}

/** "iteration" or "epoch", for labels (an RL tuner's policy-gradient steps are iterations). */
export function stepNoun(model: Pick<ModelSummary, 'family'>): string {
  return trainsByEpochs(model) && model.family !== 'rl' ? 'epoch' : 'iteration';
}

/**
 * A polyphonic model's frame NLL (nats per grid step, lower is better) from what the history and the
 * summary store: minus the per-frame log-likelihood. Null when not known.
 */
export function frameNll(logLikelihood: number | null | undefined): number | null {
  if (logLikelihood === null || logLikelihood === undefined || !Number.isFinite(logLikelihood)) return null;
  // -0 reads as 0.
  return logLikelihood === 0 ? 0 : -logLikelihood;
}

/** A frame NLL in nats per step: "5.213"; "—" when not known. */
export function formatFrameNll(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return value.toFixed(digits);
}

/** "RNN-NADE (joint)" or "Independent (baseline)". */
export function polyphonicKindLabel(kind: PolyphonicSettings['kind']): string {
  return kind === 'rnn-nade' ? 'RNN-NADE (joint)' : 'Independent (baseline)';
}

/** 4 → "16ths", 1 → "quarters". */
function gridName(resolution: number): string {
  const names: Readonly<Record<number, string>> = { 1: 'quarters', 2: '8ths', 4: '16ths', 8: '32nds' };
  return names[resolution] ?? `${resolution} steps/quarter`;
}

function polyphonicParts(settings: PolyphonicSettings): string[] {
  const parts = [polyphonicKindLabel(settings.kind), `LSTM ${settings.units.join('+')}`];
  if (settings.kind === 'rnn-nade') parts.push(`NADE ${settings.nadeHidden}`);
  parts.push(gridName(settings.resolution), `batch ${settings.batchSize}`, `lr ${formatRate(settings.learningRate)}`);
  if (settings.dropout > 0 || settings.inputDropout > 0) parts.push(`dropout ${settings.dropout} / input ${settings.inputDropout}`);
  if (settings.transpose > 0) parts.push(`±${settings.transpose} st`);
  parts.push(settings.patience > 0 ? `patience ${settings.patience}` : 'no early stop', `seed ${settings.seed}`);
  return parts;
}

/** "2 bars of 4/4 · 16ths · hierarchical · z 256 · enc 256 · cond 256 · dec 256 · β ≤ 0.5 · …". */
function vaeParts(settings: VaeSettings): string[] {
  const parts = [
    `${settings.bars} bar${settings.bars === 1 ? '' : 's'} of ${settings.beatsPerBar}/4`,
    gridName(settings.resolution),
    settings.hierarchical ? `hierarchical (conductor ${settings.conductorUnits})` : 'flat decoder',
    `z ${settings.latentSize}`,
    `enc ${settings.encoderUnits} · dec ${settings.decoderUnits}`,
    `β ≤ ${settings.maxBeta}`,
  ];
  if (settings.freeBits > 0) parts.push(`free bits ${settings.freeBits}`);
  parts.push(settings.samplingRate === 0 ? 'teacher forcing' : `sampling rate ${settings.samplingRate}`);
  parts.push(`batch ${settings.batchSize}`, `lr ${formatRate(settings.learningRate)}`);
  if (settings.transpose > 0) parts.push(`±${settings.transpose} st`);
  parts.push(settings.patience > 0 ? `patience ${settings.patience}` : 'no early stop', `seed ${settings.seed}`);
  return parts;
}

/** "episodes of 32 notes (primer 8) · 16 per iteration · T 1 · lr 5e-4 · reward D 1 · key 0.1 · …". */
function rlParts(settings: RlSettings): string[] {
  const { rewards } = settings;
  return [
    `episodes of ${settings.episodeLength} notes (primer ${settings.primerLength})`,
    `${settings.batchSize} per iteration`,
    `T ${settings.temperature}`,
    `lr ${formatRate(settings.learningRate)}`,
    `reward D ${rewards.discriminator} · key ${rewards.inKey} · repeats ${rewards.repeats} (>${rewards.maxRepeats}) · resolution ${rewards.resolution} · KL ${rewards.kl}`,
    `discriminator ${settings.discriminatorWindow} notes × ${settings.discriminatorFilters} filters`,
    `seed ${settings.seed}`,
  ];
}

/** 0.005 → "0.005", 0.0001 → "1e-4". */
export function formatRate(value: number): string {
  return value >= 1e-3 ? String(value) : value.toExponential().replace('e+', 'e');
}

const SCHEDULE_LABEL: Record<LstmSettings['schedule'], string> = {
  constant: 'constant',
  step: 'stepped',
  cosine: 'cosine',
};

function trainingParts(settings: LstmSettings | TransformerSettings): string[] {
  const parts = [`batch ${settings.batchSize}`, `lr ${formatRate(settings.learningRate)} ${SCHEDULE_LABEL[settings.schedule]}`];
  if (settings.dropout > 0) parts.push(`dropout ${settings.dropout}`);
  if (settings.transpose > 0) parts.push(`±${settings.transpose} st`);
  parts.push(settings.patience > 0 ? `patience ${settings.patience}` : 'no early stop', `seed ${settings.seed}`);
  return parts;
}

/** 1e-4 → "1e-4", 0.001 → "0.001", 0.05 → "0.05": the short form a composer would type. */
export function formatTolerance(tolerance: number): string {
  if (!Number.isFinite(tolerance)) return String(tolerance);
  if (tolerance >= 1e-3) return String(tolerance);
  return tolerance.toExponential().replace('e+', 'e');
}

/**
 * The settings in one line. HMM: "16 states · k-means init · seed 1 · tol 1e-4 · 4 steps/quarter"
 * (no resolution for note models); LSTM: "LSTM 128 · window 25 · embed 32 · batch 64 · lr 0.005
 * cosine · …"; transformer: "2 layers · 4 heads · d 128 · context 128 · 4 steps/quarter · …".
 */
export function describeSettings(settings: ModelSettings): string {
  if (isPolyphonicSettings(settings)) return polyphonicParts(settings).join(' · ');
  if (isVaeSettings(settings)) return vaeParts(settings).join(' · ');
  if (isRlSettings(settings)) return rlParts(settings).join(' · ');
  if (isNeuralSettings(settings)) {
    if (settings.family === 'lstm') {
      const parts = [
        `LSTM ${settings.units.join('+')}`,
        `window ${settings.windowLength}`,
        settings.pitchEmbedding > 0 ? `embed ${settings.pitchEmbedding}` : 'pitch/128',
      ];
      if (settings.velocity) parts.push('velocity');
      if (settings.timeStretch > 0) parts.push(`stretch ±${Math.round(settings.timeStretch * 100)}%`);
      return [...parts, ...trainingParts(settings)].join(' · ');
    }
    const parts = [
      `${settings.layers} layer${settings.layers === 1 ? '' : 's'}`,
      `${settings.heads} head${settings.heads === 1 ? '' : 's'}`,
      `d ${settings.modelSize}`,
      `context ${settings.contextLength}`,
      `${settings.resolution} steps/quarter`,
    ];
    return [...parts, ...trainingParts(settings)].join(' · ');
  }
  const parts = [
    `${formatCount(settings.states)} state${settings.states === 1 ? '' : 's'}`,
    `${INIT_LABEL[settings.init]} init`,
    `seed ${settings.seed}`,
    `tol ${formatTolerance(settings.tolerance)}`,
  ];
  if (settings.representation !== 'note') parts.push(`${settings.resolution} steps/quarter`);
  return parts.join(' · ');
}

/** Wall time: "8 ms", "420 ms", "4.2 s", "12 s", "3 min 05 s", "1 h 02 min". */
export function formatDuration(seconds: number): string {
  const value = Number.isFinite(seconds) ? Math.max(0, seconds) : 0;
  if (value < 1) return `${Math.round(value * 1000)} ms`;
  if (value < 10) return `${value.toFixed(1)} s`;
  if (value < 60) return `${Math.round(value)} s`;
  const whole = Math.round(value);
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
  return `${Math.floor(whole / 3600)} h ${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')} min`;
}

/** An iteration's change of LL/token: "+0.030", "−0.002", "+1.2e-5" (tiny gains near convergence). */
export function formatGain(gain: number): string {
  if (!Number.isFinite(gain)) return '—';
  const sign = gain < 0 ? MINUS : '+';
  const size = Math.abs(gain);
  if (size === 0) return '±0';
  return `${sign}${size >= 1e-3 ? size.toFixed(3) : size.toExponential(1)}`;
}

/** The training log-likelihood per token after the last completed iteration. */
export function lastTrainLogLikelihood(model: Pick<ModelSummary, 'history'>): number | null {
  return model.history.at(-1)?.logLikelihoodPerToken ?? null;
}

/**
 * How far a training run is, 0..1: the job's own progress while it runs (it knows about
 * evaluation too), otherwise iterations over the maximum. A run that converges early jumps to done.
 */
export function trainingProgress(model: Pick<ModelSummary, 'iterations' | 'settings' | 'status'>, job: Pick<Job, 'status' | 'progress'> | undefined): number {
  if (model.status === 'trained') return 1;
  if (job && job.status === 'running' && job.progress > 0) return Math.min(1, job.progress);
  const max = model.settings.maxIterations;
  return max > 0 ? Math.min(1, model.iterations / max) : 0;
}

/** Extra iterations offered when a model has used up its maximum and the composer asks for more. */
export const MORE_ITERATIONS = 50;
const MAX_ITERATIONS = 10_000;

export type ResumePlan =
  | { readonly kind: 'none' }
  /** Continue to the model's own maximum (maxIterations left out of models.resume). */
  | { readonly kind: 'resume' }
  /** The maximum is reached: continue to a larger one. */
  | { readonly kind: 'extend'; readonly maxIterations: number };

/** What "Resume" would do for this model: nothing while it trains, else continue or extend. */
export function resumePlan(model: Pick<ModelSummary, 'status' | 'iterations' | 'settings'>): ResumePlan {
  if (model.status === 'training') return { kind: 'none' };
  if (model.iterations < model.settings.maxIterations) return { kind: 'resume' };
  if (model.iterations >= MAX_ITERATIONS) return { kind: 'none' };
  return {
    kind: 'extend',
    maxIterations: Math.min(MAX_ITERATIONS, model.iterations + MORE_ITERATIONS),
  };
}

/** Generating needs parameters, which exist after the first completed iteration. */
export function canGenerate(model: Pick<ModelSummary, 'iterations'>): boolean {
  return model.iterations > 0;
}
