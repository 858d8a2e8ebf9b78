/**
 * From the contract's neural settings to the models' configurations, the learning-rate schedule,
 * the names the studio gives neural models, and the checks of settings against a corpus that the
 * schemas cannot make (a window longer than every piece), with messages a composer can act on.
 */
import type { LstmSettings, NeuralSettings, TransformerSettings } from '../../ipc/schemas';
import { EVENT_VOCAB_SIZE } from '../../music/representations';
import type { EventTransformerConfig } from '../neural/event-transformer';
import type { NoteStepLstmConfig } from '../neural/note-step-lstm';

export class NeuralSettingsError extends Error {
  override readonly name = 'NeuralSettingsError';
}

export function lstmConfig(settings: LstmSettings): NoteStepLstmConfig {
  return {
    windowLength: settings.windowLength,
    units: [...settings.units],
    pitchEmbedding: settings.pitchEmbedding,
    velocity: settings.velocity,
    dropout: settings.dropout,
    lossWeights: { ...settings.lossWeights },
    learningRate: settings.learningRate,
    seed: settings.seed,
  };
}

export function transformerConfig(settings: TransformerSettings): EventTransformerConfig {
  return {
    vocabulary: EVENT_VOCAB_SIZE,
    contextLength: settings.contextLength,
    layers: settings.layers,
    heads: settings.heads,
    modelSize: settings.modelSize,
    feedForwardSize: settings.feedForwardSize,
    dropout: settings.dropout,
    learningRate: settings.learningRate,
    seed: settings.seed,
  };
}

/** The cosine schedule ends at this fraction of the initial rate. */
export const COSINE_FLOOR = 0.1;

/** The learning rate of epoch `epoch` (1-based) under the settings' schedule. */
export function learningRateAt(settings: Pick<NeuralSettings, 'learningRate' | 'schedule' | 'stepEvery' | 'stepFactor' | 'maxIterations'>, epoch: number): number {
  const base = settings.learningRate;
  switch (settings.schedule) {
    case 'constant':
      return base;
    case 'step':
      return base * Math.pow(settings.stepFactor, Math.floor((epoch - 1) / settings.stepEvery));
    case 'cosine': {
      const span = Math.max(1, settings.maxIterations - 1);
      const progress = Math.min(1, (epoch - 1) / span);
      return base * (COSINE_FLOOR + (1 - COSINE_FLOOR) * 0.5 * (1 + Math.cos(Math.PI * progress)));
    }
  }
}

/** e.g. "LSTM 128×2 · window 25", "Transformer 2 layers · d 128". */
export function defaultNeuralModelName(settings: NeuralSettings): string {
  if (settings.family === 'lstm') {
    const units = settings.units.every((value) => value === settings.units[0]) && settings.units.length > 1 ? `${settings.units[0]}×${settings.units.length}` : settings.units.join('+');
    return `LSTM ${units} · window ${settings.windowLength}`;
  }
  return `Transformer ${settings.layers} layer${settings.layers === 1 ? '' : 's'} · d ${settings.modelSize}`;
}

/** Where the pieces come from, for the messages. */
export interface CorpusFacts {
  readonly corpusName?: string;
  /** Notes of the longest piece of the train split (what the LSTM's window must be shorter than). */
  readonly longestTrainPiece: number;
}

/** Settings a corpus cannot train, refused before any job starts. */
export function checkNeuralSettings(settings: NeuralSettings, facts: CorpusFacts): void {
  if (settings.family !== 'lstm') return;
  if (settings.windowLength >= facts.longestTrainPiece) {
    const corpus = facts.corpusName === undefined ? 'the corpus' : `“${facts.corpusName}”`;
    throw new NeuralSettingsError(
      `A window of ${settings.windowLength} notes is longer than any piece of ${corpus}'s train split can fill: the longest has ${facts.longestTrainPiece} notes, ` +
        `and a window needs one more note after it to predict. Use a window of at most ${Math.max(1, facts.longestTrainPiece - 1)}.`,
    );
  }
}
