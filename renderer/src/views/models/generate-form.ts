/**
 * The Generate panel's form apart from React: how many clips, how long (steps or bars), the
 * temperature (one, or for an HMM one each for the initial state, transitions and emissions), an
 * optional seed, and for neural models top-k, top-p and a primer clip; validated against the same
 * limits as GenerateInputSchema.
 */
import type { MethodInput } from '../../../../core/ipc/contract';
import { GenerateInputSchema, type ModelRepresentation } from '../../../../core/ipc/schemas';
import { parseWholeNumber, TRAIN_LIMITS } from './train-form';

export type GenerateRequest = MethodInput<'models.generate'>;
export type LengthUnit = 'bars' | 'steps';

export interface GenerateForm {
  readonly count: string;
  readonly lengthValue: string;
  readonly lengthUnit: LengthUnit;
  /** The one temperature (used unless `advanced`). */
  readonly temperature: number;
  readonly advanced: boolean;
  readonly initial: number;
  readonly transition: number;
  readonly emission: number;
  /** Empty: main picks one (and the job remembers it). */
  readonly seed: string;
  /** Neural models: empty means off. */
  readonly topK?: string;
  readonly topP?: string;
  /** Neural models: the clip the music continues, or none. */
  readonly primerClipId?: number | null;
}

export type GenerateField = 'count' | 'lengthValue' | 'seed' | 'temperature' | 'topK' | 'topP';
export type GenerateFormErrors = Partial<Record<GenerateField, string>>;

export const GENERATE_LIMITS = {
  count: { min: 1, max: 16 },
  length: { min: 1, max: 10_000 },
  /** The slider's range; the contract accepts up to 5, beyond 2 sampling is close to uniform noise. */
  temperature: { min: 0, max: 2, step: 0.05 },
  topK: { min: 1, max: 1024 },
} as const;

export const DEFAULT_GENERATE_FORM: GenerateForm = {
  count: '4',
  lengthValue: '8',
  lengthUnit: 'bars',
  temperature: 1,
  advanced: false,
  initial: 1,
  transition: 1,
  emission: 1,
  seed: '',
  topK: '',
  topP: '',
  primerClipId: null,
};

/** What one "step" of a length is for a model of this representation. */
export function stepUnitName(representation: ModelRepresentation): string {
  switch (representation) {
    case 'pitch':
    case 'pianoroll':
      return 'grid steps';
    case 'event':
      return 'events';
    case 'note':
    case 'note-steps':
      return 'notes';
    case 'melody':
      return 'melody steps';
  }
}

/** A short explanation of the length field for this representation and unit. */
export function lengthHint(representation: ModelRepresentation, unit: LengthUnit, resolution: number): string {
  const grid = representation === 'pitch' || representation === 'pianoroll';
  if (unit === 'bars') return grid ? `Bars of 4/4 (${4 * resolution} steps each).` : 'Bars of 4/4; sampling stops at the last bar line.';
  if (grid) return `Grid steps of 1/${4 * resolution} note${representation === 'pianoroll' ? ', each a chord or a rest' : ''}.`;
  if (representation === 'note-steps') return 'Notes, one per prediction.';
  return representation === 'event' ? 'Events: note-ons, note-offs, time-shifts and velocities.' : 'Notes, one per observation.';
}

/** top-p typed as text: empty (off), or a number above 0 and at most 1. */
export function parseTopP(text: string): { readonly value: number | undefined } | { readonly error: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { value: undefined };
  const value = Number(trimmed);
  if (!Number.isFinite(value) || value <= 0 || value > 1)
    return {
      error: 'top-p is a number above 0 and at most 1, e.g. 0.9 (empty: off).',
    };
  return { value };
}

/** 0 → "0.00 (greedy)", 1 → "1.00", 2 → "2.00". */
export function formatTemperature(value: number): string {
  const text = value.toFixed(2);
  if (value === 0) return `${text} (most likely)`;
  return text;
}

export function describeTemperature(value: number): string {
  if (value === 0) return 'Always the most likely choice';
  if (value < 0.6) return 'Conservative';
  if (value < 0.95) return 'A little safer than the model';
  if (value <= 1.05) return 'As the model learned it';
  if (value <= 1.5) return 'More adventurous';
  return 'Close to random';
}

export type GenerateValidation = { readonly ok: true; readonly input: GenerateRequest } | { readonly ok: false; readonly errors: GenerateFormErrors };

/**
 * The request the form describes. `neural`: one temperature (the advanced three are the HMM's), and
 * top-k, top-p and the primer clip when given. `polyphonic`: a polyphonic continuation: one
 * temperature above 0, the primer clip when given, no top-k or top-p (main refuses them). `vae`:
 * samples from the prior: count, one temperature above 0 and a seed; no primer, and a placeholder
 * length of one bar (a sample is the model's segment, main ignores the length).
 */
export function validateGenerateForm(
  form: GenerateForm,
  modelId: number,
  options: { readonly neural?: boolean; readonly polyphonic?: boolean; readonly vae?: boolean } = {},
): GenerateValidation {
  const vae = options.vae ?? false;
  const polyphonic = (options.polyphonic ?? false) && !vae;
  const neural = (options.neural ?? false) && !polyphonic && !vae;
  const errors: GenerateFormErrors = {};
  const count = parseWholeNumber(form.count, 'the number of clips', GENERATE_LIMITS.count.min, GENERATE_LIMITS.count.max);
  if ('error' in count) errors.count = count.error;
  // A VAE sample is always the model's segment length: main ignores the length, so the form does not ask.
  const length = vae
    ? { value: 1 }
    : parseWholeNumber(form.lengthValue, `the length in ${form.lengthUnit}`, GENERATE_LIMITS.length.min, GENERATE_LIMITS.length.max);
  if ('error' in length) errors.lengthValue = length.error;
  let seed: number | undefined;
  if (form.seed.trim() !== '') {
    const parsed = parseWholeNumber(form.seed, 'a seed', TRAIN_LIMITS.seed.min, TRAIN_LIMITS.seed.max);
    if ('error' in parsed) errors.seed = parsed.error;
    else seed = parsed.value;
  }
  const advanced = form.advanced && !neural && !polyphonic && !vae;
  const temperatures = advanced ? [form.initial, form.transition, form.emission] : [form.temperature];
  if (temperatures.some((value) => !Number.isFinite(value) || value < 0 || value > 5)) errors.temperature = 'A temperature is from 0 to 5.';
  else if (polyphonic && form.temperature <= 0) errors.temperature = 'The temperature is above 0 (a polyphonic model samples each step’s chord).';
  else if (vae && form.temperature <= 0) errors.temperature = 'The temperature is above 0 (a VAE samples its decoder’s notes).';
  let topK: number | undefined;
  let topP: number | undefined;
  if (neural) {
    if ((form.topK ?? '').trim() !== '') {
      const parsed = parseWholeNumber(form.topK ?? '', 'top-k', GENERATE_LIMITS.topK.min, GENERATE_LIMITS.topK.max);
      if ('error' in parsed) errors.topK = `${parsed.error.replace(/\.$/, '')} (empty: off).`;
      else topK = parsed.value;
    }
    const parsedP = parseTopP(form.topP ?? '');
    if ('error' in parsedP) errors.topP = parsedP.error;
    else topP = parsedP.value;
  }
  if ('error' in count || 'error' in length || Object.keys(errors).length > 0) return { ok: false, errors };

  const primerClipId = neural || polyphonic ? (form.primerClipId ?? null) : null;
  const input: GenerateRequest = {
    modelId,
    count: count.value,
    length: vae ? { unit: 'bars', value: 1 } : { unit: form.lengthUnit, value: length.value },
    temperature: advanced
      ? {
          initial: form.initial,
          transition: form.transition,
          emission: form.emission,
        }
      : form.temperature,
    ...(seed === undefined ? {} : { seed }),
    ...(topK === undefined ? {} : { topK }),
    ...(topP === undefined ? {} : { topP }),
    ...(primerClipId === null ? {} : { primerClipId }),
  };
  const checked = GenerateInputSchema.safeParse(input);
  if (!checked.success)
    return {
      ok: false,
      errors: {
        count: checked.error.issues[0]?.message ?? 'These settings are not valid.',
      },
    };
  return { ok: true, input };
}
