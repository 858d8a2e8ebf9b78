/**
 * The "Train model…" form's RL tuner settings apart from React: the start model (a trained LSTM of
 * the studio), the episodes, the policy gradient, the reward's weights and the discriminator, with
 * the contract's defaults; the schema decides every limit (settings-form.ts).
 */
import { RlSettingsSchema, type ModelSummary, type RlSettings } from '../../../../core/ipc/schemas';
import { textsFrom, validateSettingsForm, type FieldTexts, type NumberFieldSpec, type SettingsValidation } from './settings-form';

export interface RlTrainForm {
  readonly texts: FieldTexts;
  /** The trained LSTM the policy starts from; null while there is none to choose. */
  readonly startModelId: number | null;
  readonly baseline: RlSettings['baseline'];
}

export const RL_EXPLANATION =
  'Tunes a trained LSTM by reinforcement learning (after Magenta’s RL Tuner): a discriminator learns to tell corpus phrases from the policy’s, and the reward adds music-theory terms and a KL penalty that keeps the policy near its start model.';

export const BASELINES: readonly { readonly value: RlSettings['baseline']; readonly label: string; readonly explanation: string }[] = [
  { value: 'batch-mean', label: 'Batch mean', explanation: 'Each episode’s reward minus the mean of its iteration’s episodes.' },
  { value: 'moving-average', label: 'Moving average', explanation: 'Each episode’s reward minus a running average over iterations.' },
];

const DEFAULT_START_ID = 1;

export const RL_FIELDS: readonly NumberFieldSpec[] = [
  { key: 'episodeLength', label: 'Episode length', path: ['episodeLength'], whole: true, group: 'Episodes', hint: 'Notes appended per episode' },
  { key: 'primerLength', label: 'Primer length', path: ['primerLength'], whole: true, group: 'Episodes', hint: 'Corpus notes before each episode (0: none)' },
  { key: 'batchSize', label: 'Episodes per iteration', path: ['batchSize'], whole: true, group: 'Episodes' },
  { key: 'iterations', label: 'Iterations', path: ['maxIterations'], whole: true, group: 'Policy gradient', hint: 'REINFORCE steps at most' },
  { key: 'temperature', label: 'Temperature', path: ['temperature'], whole: false, group: 'Policy gradient', example: '1', hint: 'Of the policy while it explores' },
  { key: 'learningRate', label: 'Learning rate', path: ['learningRate'], whole: false, group: 'Policy gradient', example: '0.0005' },
  { key: 'rewardDiscriminator', label: 'Discriminator weight', path: ['rewards', 'discriminator'], whole: false, group: 'Reward weights', example: '1', hint: '× log D(real)' },
  { key: 'rewardInKey', label: 'In key', path: ['rewards', 'inKey'], whole: false, group: 'Reward weights', example: '0.1' },
  { key: 'rewardRepeats', label: 'Repeats penalty', path: ['rewards', 'repeats'], whole: false, group: 'Reward weights', example: '0.5' },
  { key: 'maxRepeats', label: 'Max repeats', path: ['rewards', 'maxRepeats'], whole: true, group: 'Reward weights', hint: 'Same pitch in a row before the penalty' },
  { key: 'rewardResolution', label: 'Resolution', path: ['rewards', 'resolution'], whole: false, group: 'Reward weights', example: '0.1', hint: 'Leaps followed by a step back' },
  { key: 'rewardKl', label: 'KL to start model', path: ['rewards', 'kl'], whole: false, group: 'Reward weights', example: '0.2', hint: 'Keeps the policy near the LSTM' },
  { key: 'discriminatorWindow', label: 'Discriminator window', path: ['discriminatorWindow'], whole: true, group: 'Discriminator', hint: 'Notes per window' },
  { key: 'discriminatorFilters', label: 'Filters', path: ['discriminatorFilters'], whole: true, group: 'Discriminator', hint: 'Convolution filters' },
  { key: 'discriminatorSteps', label: 'Steps per iteration', path: ['discriminatorSteps'], whole: true, group: 'Discriminator' },
  { key: 'discriminatorWarmup', label: 'Warm-up steps', path: ['discriminatorWarmup'], whole: true, group: 'Discriminator', hint: 'Before the first policy step' },
  { key: 'seed', label: 'Seed', path: ['seed'], whole: true, group: 'Discriminator', hint: 'Same seed, same run' },
];

/** Trained LSTMs (at least one epoch), the models an RL tuner can start from. */
export function startModelChoices(models: readonly ModelSummary[]): readonly ModelSummary[] {
  return models.filter((model) => model.family === 'lstm' && model.iterations > 0);
}

/** What to do when there is no LSTM to start from. */
export function noStartModelAdvice(models: readonly ModelSummary[]): string {
  const training = models.find((model) => model.family === 'lstm' && model.status === 'training');
  if (training) return `“${training.name}” is still on its first epoch: it can be tuned once an epoch is done.`;
  return 'An RL tuner starts from a trained LSTM, and there is none yet: train one first (Family: LSTM), then come back.';
}

export function defaultRlTrainForm(models: readonly ModelSummary[]): RlTrainForm {
  const defaults = RlSettingsSchema.parse({ startModelId: DEFAULT_START_ID });
  return { texts: textsFrom(RL_FIELDS, defaults), startModelId: startModelChoices(models)[0]?.id ?? null, baseline: defaults.baseline };
}

export function validateRlTrainForm(form: RlTrainForm, common: { readonly corpusId: number | null; readonly name: string }): SettingsValidation<'rl'> {
  const fixed = { representation: 'note-steps', baseline: form.baseline, ...(form.startModelId === null ? {} : { startModelId: form.startModelId }) };
  const validation = validateSettingsForm('rl', RL_FIELDS, form.texts, fixed, common);
  if (form.startModelId !== null || validation.ok) return validation;
  return { ok: false, errors: { ...validation.errors, startModelId: 'Choose the trained LSTM to start from.' } };
}
