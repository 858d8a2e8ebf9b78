/**
 * The "Train model…" form's polyphonic (RNN-NADE) settings apart from React: the fields as typed,
 * the contract's defaults, and validation. Text that is not a number at all is caught here (the
 * schema would only say "expected number"); every limit is the schema's own, and its messages are
 * shown as they are (rewritten into a sentence only where the schema has none of its own).
 */
import type { z } from 'zod';
import { PolyphonicSettingsSchema, TrainModelInputSchema, type PolyphonicSettings } from '../../../../core/ipc/schemas';
import { TRAIN_LIMITS, type TrainModelRequest } from './train-form';

export type PolyphonicKindChoice = PolyphonicSettings['kind'];

export interface PolyphonicTrainForm {
  readonly kind: PolyphonicKindChoice;
  /** Grid steps per quarter note: 4 = 16ths (the studio's), 1 = quarters (the JSB benchmark's). */
  readonly resolution: number;
  /** "256, 256": units per stacked LSTM layer. */
  readonly units: string;
  readonly nadeHidden: string;
  readonly epochs: string;
  readonly batchSize: string;
  readonly learningRate: string;
  readonly patience: string;
  readonly dropout: string;
  readonly inputDropout: string;
  readonly transpose: string;
  readonly seed: string;
}

export type PolyphonicField = Exclude<keyof PolyphonicTrainForm, 'kind' | 'resolution'> | 'resolution' | 'corpusId' | 'name';
export type PolyphonicFormErrors = Partial<Record<PolyphonicField, string>>;

export const POLYPHONIC_KINDS: readonly { readonly value: PolyphonicKindChoice; readonly label: string; readonly explanation: string }[] = [
  {
    value: 'rnn-nade',
    label: 'RNN-NADE (joint)',
    explanation: 'Each step’s chord is one joint choice: a NADE picks its pitches one after another, each knowing the others. Use this one.',
  },
  {
    value: 'rnn-bernoulli',
    label: 'Independent (baseline)',
    explanation: 'Baseline: one independent coin per pitch at each step, so the voices of a chord do not know each other. For comparison only.',
  },
];

export const POLYPHONIC_RESOLUTIONS: readonly { readonly value: number; readonly label: string; readonly explanation: string }[] = [
  { value: 4, label: '16ths', explanation: '4 steps per quarter note: the studio’s default, keeps 16th-note rhythms.' },
  { value: 2, label: '8ths', explanation: '2 steps per quarter note: faster to train, 16ths are merged.' },
  { value: 1, label: 'Quarters', explanation: '1 step per quarter note: the JSB benchmark’s grid; anything shorter is lost.' },
];

export const POLYPHONIC_EXPLANATION =
  'A piano-roll model: an LSTM over time, and at each grid step a distribution over the whole set of sounding pitches. Harmonizes, infills and continues in the editor.';

/** The form with the contract's defaults. */
export function defaultPolyphonicTrainForm(): PolyphonicTrainForm {
  const defaults = PolyphonicSettingsSchema.parse({});
  return {
    kind: defaults.kind,
    resolution: defaults.resolution,
    units: defaults.units.join(', '),
    nadeHidden: String(defaults.nadeHidden),
    epochs: String(defaults.maxIterations),
    batchSize: String(defaults.batchSize),
    learningRate: String(defaults.learningRate),
    patience: String(defaults.patience),
    dropout: String(defaults.dropout),
    inputDropout: String(defaults.inputDropout),
    transpose: String(defaults.transpose),
    seed: String(defaults.seed),
  };
}

/** The model's name when none is typed: "RNN-NADE 256×2 · 16ths", "Independent baseline 64 · quarters". */
export function defaultPolyphonicModelName(settings: Pick<PolyphonicSettings, 'kind' | 'units' | 'resolution'>): string {
  const units = settings.units.length > 1 && settings.units.every((value) => value === settings.units[0]) ? `${settings.units[0]}×${settings.units.length}` : settings.units.join('+');
  return `${settings.kind === 'rnn-nade' ? 'RNN-NADE' : 'Independent baseline'} ${units} · ${resolutionName(settings.resolution)}`;
}

/** 4 → "16ths", 1 → "quarters", 3 → "3 steps/quarter". */
export function resolutionName(resolution: number): string {
  switch (resolution) {
    case 1:
      return 'quarters';
    case 2:
      return '8ths';
    case 4:
      return '16ths';
    case 8:
      return '32nds';
    default:
      return `${resolution} steps/quarter`;
  }
}

/** What a field's value is called in the sentences this form writes. */
const FIELD_LABEL: Record<Exclude<PolyphonicField, 'corpusId' | 'name'>, string> = {
  resolution: 'The resolution',
  units: 'LSTM units',
  nadeHidden: 'The NADE hidden size',
  epochs: 'The number of epochs',
  batchSize: 'The batch size',
  learningRate: 'The learning rate',
  patience: 'The patience',
  dropout: 'Dropout',
  inputDropout: 'Input dropout',
  transpose: 'The transposition',
  seed: 'The seed',
};

/** The schema's setting → the form's field. */
const FIELD_OF_SETTING: Record<string, PolyphonicField> = {
  resolution: 'resolution',
  units: 'units',
  nadeHidden: 'nadeHidden',
  maxIterations: 'epochs',
  batchSize: 'batchSize',
  learningRate: 'learningRate',
  patience: 'patience',
  dropout: 'dropout',
  inputDropout: 'inputDropout',
  transpose: 'transpose',
  seed: 'seed',
  corpusId: 'corpusId',
  name: 'name',
};

/**
 * The schema's message for an issue, or a sentence in its place where the schema has no message of
 * its own (zod's defaults read "Too small: expected number to be >=1").
 */
export function issueMessage(field: PolyphonicField, issue: z.core.$ZodIssue): string {
  const isDefault = /^(Too small|Too big|Invalid)/.test(issue.message);
  if (!isDefault || field === 'corpusId' || field === 'name') return issue.message;
  const label = FIELD_LABEL[field];
  const wholeNumber = field !== 'learningRate' && field !== 'dropout' && field !== 'inputDropout';
  if (issue.code === 'too_small' && 'minimum' in issue) return `${label} is at least ${formatLimit(issue.minimum)}.`;
  if (issue.code === 'too_big' && 'maximum' in issue) return `${label} is at most ${formatLimit(issue.maximum)}.`;
  if (issue.code === 'invalid_type' && wholeNumber) return `${label} is a whole number.`;
  return `${label}: ${issue.message}`;
}

function formatLimit(limit: number | bigint): string {
  return typeof limit === 'number' ? limit.toLocaleString('en-US') : String(limit);
}

type Parsed = { readonly value: number } | { readonly error: string };

/** A number as typed: "1e-3", ".3", "12"; whole numbers where the setting is one. */
function parseNumber(text: string, field: Exclude<PolyphonicField, 'corpusId' | 'name'>, whole: boolean): Parsed {
  const trimmed = text.trim();
  const label = FIELD_LABEL[field];
  if (trimmed === '') return { error: `Enter ${label.charAt(0).toLowerCase()}${label.slice(1)}.` };
  if (whole) return /^[+-]?\d+$/.test(trimmed) ? { value: Number(trimmed) } : { error: `${label} is a whole number.` };
  const value = Number(trimmed);
  // NaN and Infinity go on to the schema, whose message says what it wants.
  if (Number.isNaN(value) && trimmed !== 'NaN') return { error: `${label} is a number such as ${field === 'learningRate' ? '0.002' : '0.3'}.` };
  return { value };
}

/** "256, 256" or "256 256" or "256×2"-free lists → [256, 256]; an empty list is left to the schema. */
export function parseUnitList(text: string): { readonly value: number[] } | { readonly error: string } {
  const parts = text
    .split(/[,\s]+/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
  const value: number[] = [];
  for (const [index, part] of parts.entries()) {
    if (!/^\d+$/.test(part)) return { error: `Layer ${index + 1}: units are whole numbers, e.g. 256 or 256, 256.` };
    value.push(Number(part));
  }
  return { value };
}

export type PolyphonicTrainValidation =
  | { readonly ok: true; readonly input: TrainModelRequest; readonly settings: PolyphonicSettings }
  | { readonly ok: false; readonly errors: PolyphonicFormErrors };

/** The request the form describes (with the dialog's corpus and name), or a message per wrong field. */
export function validatePolyphonicTrainForm(
  form: PolyphonicTrainForm,
  common: { readonly corpusId: number | null; readonly name: string },
): PolyphonicTrainValidation {
  const errors: PolyphonicFormErrors = {};
  const take = (field: Exclude<PolyphonicField, 'corpusId' | 'name'>, whole: boolean): number => {
    const parsed = parseNumber(form[field as keyof PolyphonicTrainForm] as string, field, whole);
    if ('error' in parsed) {
      errors[field] = parsed.error;
      return Number.NaN;
    }
    return parsed.value;
  };
  if (common.corpusId === null) errors.corpusId = 'Choose the corpus to train on.';
  const name = common.name.trim();
  if (name.length > TRAIN_LIMITS.name.max) errors.name = `A name is at most ${TRAIN_LIMITS.name.max} characters.`;
  const units = parseUnitList(form.units);
  if ('error' in units) errors.units = units.error;
  const settings = {
    family: 'polyphonic' as const,
    representation: 'pianoroll' as const,
    kind: form.kind,
    resolution: form.resolution,
    units: 'error' in units ? [] : units.value,
    nadeHidden: take('nadeHidden', true),
    maxIterations: take('epochs', true),
    batchSize: take('batchSize', true),
    learningRate: take('learningRate', false),
    patience: take('patience', true),
    dropout: take('dropout', false),
    inputDropout: take('inputDropout', false),
    transpose: take('transpose', true),
    seed: take('seed', true),
  };
  const candidate = { corpusId: common.corpusId ?? 0, ...(name === '' ? {} : { name }), family: 'polyphonic' as const, settings };
  // The contract's schema decides every limit; its messages name what is wrong.
  const checked = TrainModelInputSchema.safeParse(candidate);
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const key = [...issue.path].reverse().find((part) => typeof part === 'string' && part in FIELD_OF_SETTING);
      const field = typeof key === 'string' ? FIELD_OF_SETTING[key]! : 'corpusId';
      if (field === 'corpusId' && common.corpusId === null) continue;
      errors[field] ??= issueMessage(field, issue);
    }
  }
  if (Object.keys(errors).length > 0 || common.corpusId === null || !checked.success) return { ok: false, errors };
  const parsed = checked.data;
  if (parsed.family !== 'polyphonic') throw new Error('The polyphonic form described another family.');
  return { ok: true, input: parsed, settings: parsed.settings };
}
