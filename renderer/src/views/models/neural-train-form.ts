/**
 * The "Train model…" form's LSTM and transformer settings apart from React: the fields as typed
 * (text), their defaults (the contract's own), and validation with messages a composer can act on.
 * The contract's schema runs last as the backstop, as for the HMM's form (train-form.ts).
 */
import {
  LstmSettingsSchema,
  TrainModelInputSchema,
  TransformerSettingsSchema,
  type LearningRateSchedule,
  type LstmSettings,
  type NeuralSettings,
  type TransformerSettings,
} from '../../../../core/ipc/schemas';
import { parseWholeNumber, TRAIN_LIMITS, type TrainModelRequest } from './train-form';

export type NeuralFamilyChoice = 'lstm' | 'transformer';

export interface NeuralTrainForm {
  readonly family: NeuralFamilyChoice;
  readonly epochs: string;
  readonly batchSize: string;
  readonly learningRate: string;
  readonly schedule: LearningRateSchedule;
  readonly patience: string;
  readonly dropout: string;
  readonly transpose: string;
  readonly seed: string;
  // LSTM
  readonly windowLength: string;
  /** "128" or "128, 128": units per stacked layer. */
  readonly units: string;
  readonly pitchEmbedding: string;
  readonly velocity: boolean;
  readonly timeStretch: string;
  readonly lossPitch: string;
  readonly lossStep: string;
  readonly lossDuration: string;
  readonly lossVelocity: string;
  // Transformer
  readonly contextLength: string;
  readonly layers: string;
  readonly heads: string;
  readonly modelSize: string;
  readonly feedForwardSize: string;
  readonly resolution: string;
}

export type NeuralField = Exclude<keyof NeuralTrainForm, 'family' | 'schedule' | 'velocity'> | 'corpusId' | 'name';
export type NeuralFormErrors = Partial<Record<NeuralField, string>>;

export const NEURAL_LIMITS = {
  epochs: { min: 1, max: 10_000 },
  batchSize: { min: 1, max: 1024 },
  patience: { min: 0, max: 10_000 },
  transpose: { min: 0, max: 12 },
  windowLength: { min: 1, max: 1024 },
  units: { min: 1, max: 2048, layers: 8 },
  pitchEmbedding: { min: 0, max: 512 },
  contextLength: { min: 2, max: 2048 },
  layers: { min: 1, max: 24 },
  heads: { min: 1, max: 32 },
  modelSize: { min: 4, max: 2048 },
  feedForwardSize: { min: 1, max: 8192 },
  resolution: { min: 1, max: 48 },
} as const;

export const SCHEDULES: readonly {
  readonly value: LearningRateSchedule;
  readonly label: string;
  readonly explanation: string;
}[] = [
  {
    value: 'cosine',
    label: 'Cosine',
    explanation: 'The learning rate falls along a cosine to a tenth of its start by the last epoch.',
  },
  {
    value: 'step',
    label: 'Step',
    explanation: 'The learning rate halves every 10 epochs.',
  },
  {
    value: 'constant',
    label: 'Constant',
    explanation: 'The same learning rate every epoch (the seeds’ choice).',
  },
];

export const FAMILY_EXPLANATION: Record<NeuralFamilyChoice | 'hmm', string> = {
  hmm: 'Hidden Markov model, trained by Baum-Welch in a worker.',
  lstm: 'LSTM next-note model (the seeds’): a window of notes predicts the next one’s pitch, step, duration and velocity.',
  transformer: 'A small decoder-only transformer over MIDI-like events (388 tokens), with learned positions.',
};

function text(value: number): string {
  return String(value);
}

/** The form filled with the contract's defaults for `family`. */
export function defaultNeuralTrainForm(family: NeuralFamilyChoice): NeuralTrainForm {
  const lstm: LstmSettings = LstmSettingsSchema.parse({});
  const transformer: TransformerSettings = TransformerSettingsSchema.parse({});
  const common = family === 'lstm' ? lstm : transformer;
  return {
    family,
    epochs: text(common.maxIterations),
    batchSize: text(common.batchSize),
    learningRate: text(common.learningRate),
    schedule: common.schedule,
    patience: text(common.patience),
    dropout: text(common.dropout),
    transpose: text(common.transpose),
    seed: text(common.seed),
    windowLength: text(lstm.windowLength),
    units: lstm.units.join(', '),
    pitchEmbedding: text(lstm.pitchEmbedding),
    velocity: lstm.velocity,
    timeStretch: text(lstm.timeStretch),
    lossPitch: text(lstm.lossWeights.pitch),
    lossStep: text(lstm.lossWeights.step),
    lossDuration: text(lstm.lossWeights.duration),
    lossVelocity: text(lstm.lossWeights.velocity),
    contextLength: text(transformer.contextLength),
    layers: text(transformer.layers),
    heads: text(transformer.heads),
    modelSize: text(transformer.modelSize),
    feedForwardSize: text(transformer.feedForwardSize),
    resolution: text(transformer.resolution),
  };
}

type Parsed = { readonly value: number } | { readonly error: string };

/** A decimal typed in a field: finite, within [min, max] (above min when `aboveMin`). */
export function parseDecimal(input: string, what: string, min: number, max: number, aboveMin = false): Parsed {
  const trimmed = input.trim();
  if (trimmed === '') return { error: `Enter ${what}.` };
  const value = Number(trimmed);
  const name = what.charAt(0).toUpperCase() + what.slice(1);
  if (!Number.isFinite(value))
    return {
      error: `${name} is a number such as ${aboveMin ? '0.005' : '0.1'}.`,
    };
  if (aboveMin ? value <= min : value < min)
    return {
      error: `${name} must be ${aboveMin ? 'above' : 'at least'} ${min}.`,
    };
  if (value > max) return { error: `${name} is at most ${max}.` };
  return { value };
}

/** "128, 64" → [128, 64], or what is wrong. */
export function parseUnits(input: string): { readonly value: number[] } | { readonly error: string } {
  const parts = input
    .split(/[,\s×x]+/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (parts.length === 0)
    return {
      error: 'Give the units of each LSTM layer, e.g. 128 or 128, 128.',
    };
  if (parts.length > NEURAL_LIMITS.units.layers) return { error: `At most ${NEURAL_LIMITS.units.layers} stacked layers.` };
  const value: number[] = [];
  for (const [index, part] of parts.entries()) {
    if (!/^\d+$/.test(part))
      return {
        error: `Layer ${index + 1}: units are whole numbers, e.g. 128.`,
      };
    const units = Number(part);
    if (units < NEURAL_LIMITS.units.min)
      return {
        error: `Layer ${index + 1} has 0 units: every LSTM layer needs at least one.`,
      };
    if (units > NEURAL_LIMITS.units.max)
      return {
        error: `Layer ${index + 1}: at most ${NEURAL_LIMITS.units.max} units.`,
      };
    value.push(units);
  }
  return { value };
}

export type NeuralTrainValidation =
  | {
      readonly ok: true;
      readonly input: TrainModelRequest;
      readonly settings: NeuralSettings;
    }
  | { readonly ok: false; readonly errors: NeuralFormErrors };

const FIELD_OF_SETTING: Record<string, NeuralField> = {
  maxIterations: 'epochs',
  batchSize: 'batchSize',
  learningRate: 'learningRate',
  patience: 'patience',
  dropout: 'dropout',
  transpose: 'transpose',
  seed: 'seed',
  windowLength: 'windowLength',
  units: 'units',
  pitchEmbedding: 'pitchEmbedding',
  timeStretch: 'timeStretch',
  pitch: 'lossPitch',
  step: 'lossStep',
  duration: 'lossDuration',
  velocity: 'lossVelocity',
  contextLength: 'contextLength',
  layers: 'layers',
  heads: 'heads',
  modelSize: 'modelSize',
  feedForwardSize: 'feedForwardSize',
  resolution: 'resolution',
  corpusId: 'corpusId',
  name: 'name',
};

/** The request the form describes (with the dialog's corpus and name), or a message per wrong field. */
export function validateNeuralTrainForm(form: NeuralTrainForm, common: { readonly corpusId: number | null; readonly name: string }): NeuralTrainValidation {
  const errors: NeuralFormErrors = {};
  const take = (field: NeuralField, parsed: Parsed): number => {
    if ('error' in parsed) {
      errors[field] = parsed.error;
      return Number.NaN;
    }
    return parsed.value;
  };
  const whole = (field: NeuralField, what: string, limits: { readonly min: number; readonly max: number }): number =>
    take(field, parseWholeNumber(form[field as keyof NeuralTrainForm] as string, what, limits.min, limits.max));
  if (common.corpusId === null) errors.corpusId = 'Choose the corpus to train on.';
  const name = common.name.trim();
  if (name.length > TRAIN_LIMITS.name.max) errors.name = `A name is at most ${TRAIN_LIMITS.name.max} characters.`;
  const training = {
    maxIterations: whole('epochs', 'the number of epochs', NEURAL_LIMITS.epochs),
    batchSize: whole('batchSize', 'the batch size', NEURAL_LIMITS.batchSize),
    learningRate: take('learningRate', parseDecimal(form.learningRate, 'the learning rate', 0, 1, true)),
    schedule: form.schedule,
    patience: whole('patience', 'the patience', NEURAL_LIMITS.patience),
    dropout: take('dropout', parseDecimal(form.dropout, 'dropout', 0, 0.9)),
    transpose: whole('transpose', 'the transposition', NEURAL_LIMITS.transpose),
    seed: whole('seed', 'a seed', TRAIN_LIMITS.seed),
  };
  let settings: Record<string, unknown>;
  if (form.family === 'lstm') {
    const units = parseUnits(form.units);
    if ('error' in units) errors.units = units.error;
    settings = {
      family: 'lstm',
      windowLength: whole('windowLength', 'the window length', NEURAL_LIMITS.windowLength),
      units: 'error' in units ? [] : units.value,
      pitchEmbedding: whole('pitchEmbedding', 'the pitch embedding size', NEURAL_LIMITS.pitchEmbedding),
      velocity: form.velocity,
      timeStretch: take('timeStretch', parseDecimal(form.timeStretch, 'the time-stretch', 0, 0.5)),
      lossWeights: {
        pitch: take('lossPitch', parseDecimal(form.lossPitch, 'the pitch weight', 0, 100)),
        step: take('lossStep', parseDecimal(form.lossStep, 'the step weight', 0, 100)),
        duration: take('lossDuration', parseDecimal(form.lossDuration, 'the duration weight', 0, 100)),
        velocity: take('lossVelocity', parseDecimal(form.lossVelocity, 'the velocity weight', 0, 100)),
      },
      ...training,
    };
  } else {
    const heads = whole('heads', 'the number of heads', NEURAL_LIMITS.heads);
    const modelSize = whole('modelSize', 'the model size', NEURAL_LIMITS.modelSize);
    if (Number.isInteger(heads) && Number.isInteger(modelSize) && modelSize % heads !== 0) {
      errors.modelSize = `The model size must be a multiple of the number of heads (${heads}).`;
    }
    settings = {
      family: 'transformer',
      contextLength: whole('contextLength', 'the context length', NEURAL_LIMITS.contextLength),
      layers: whole('layers', 'the number of layers', NEURAL_LIMITS.layers),
      heads,
      modelSize,
      feedForwardSize: whole('feedForwardSize', 'the feed-forward size', NEURAL_LIMITS.feedForwardSize),
      resolution: whole('resolution', 'the steps per quarter note', NEURAL_LIMITS.resolution),
      ...training,
    };
  }
  if (Object.keys(errors).length > 0 || common.corpusId === null) return { ok: false, errors };

  const candidate = {
    corpusId: common.corpusId,
    ...(name === '' ? {} : { name }),
    family: form.family,
    settings,
  };
  // The contract's own check, in case it learned a rule this form has not.
  const checked = TrainModelInputSchema.safeParse(candidate);
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const key = [...issue.path].reverse().find((part) => typeof part === 'string' && part in FIELD_OF_SETTING);
      const field = typeof key === 'string' ? FIELD_OF_SETTING[key]! : 'corpusId';
      errors[field] ??= issue.message;
    }
    return { ok: false, errors };
  }
  const parsed = checked.data;
  if (parsed.family !== 'lstm' && parsed.family !== 'transformer') throw new Error(`A neural form described a ${parsed.family} model.`);
  return { ok: true, input: parsed, settings: parsed.settings };
}
