/**
 * The "Train model…" form apart from React: its fields as typed (text), defaults, which choices a
 * representation allows, and validation that mirrors HmmSettingsSchema with messages a composer can
 * act on. The contract's schema runs last as the backstop, so the form can never send what main
 * would refuse for a reason the form did not explain.
 */
import type { MethodInput } from '../../../../core/ipc/contract';
import { TrainModelInputSchema, type HmmRepresentation, type HmmSettings } from '../../../../core/ipc/schemas';

export type TrainModelRequest = MethodInput<'models.train'>;
export type InitChoice = HmmSettings['init'];

export interface TrainForm {
  readonly corpusId: number | null;
  /** Empty: main names it ("HMM 16 states · pitch"). */
  readonly name: string;
  readonly representation: HmmRepresentation;
  readonly states: string;
  readonly maxIterations: string;
  readonly tolerance: string;
  readonly init: InitChoice;
  readonly seed: string;
  readonly resolution: string;
}

export type TrainField = Exclude<keyof TrainForm, 'representation' | 'init'> | 'init';
export type TrainFormErrors = Partial<Record<TrainField, string>>;

export const TRAIN_LIMITS = {
  states: { min: 1, max: 512 },
  maxIterations: { min: 1, max: 10_000 },
  tolerance: { max: 0.5 },
  seed: { min: 0, max: 2 ** 31 - 1 },
  resolution: { min: 1, max: 48 },
  name: { max: 200 },
} as const;

export function defaultTrainForm(corpusId: number | null): TrainForm {
  return {
    corpusId,
    name: '',
    representation: 'pitch',
    states: '16',
    maxIterations: '100',
    tolerance: '1e-4',
    init: 'kmeans',
    seed: '1',
    resolution: '4',
  };
}

export interface RepresentationOption {
  readonly value: HmmRepresentation;
  readonly label: string;
  readonly explanation: string;
}

export const REPRESENTATIONS: readonly RepresentationOption[] = [
  { value: 'pitch', label: 'Pitch', explanation: 'One token per grid step: the top voice’s pitch, a hold or a rest (130 symbols).' },
  { value: 'event', label: 'Event', explanation: 'MIDI-like events: note-on, note-off, time-shift and velocity (388 symbols); keeps chords.' },
  { value: 'note', label: 'Note', explanation: 'One observation per note: its pitch with Gaussian duration, step and velocity.' },
];

export interface InitOption {
  readonly value: InitChoice;
  readonly label: string;
  readonly explanation: string;
}

export const INITS: readonly InitOption[] = [
  { value: 'kmeans', label: 'k-means', explanation: 'States start from clusters of the data: fast, reliable convergence.' },
  { value: 'random', label: 'Random', explanation: 'Seeded random parameters: try several seeds and keep the best.' },
  { value: 'unigram', label: 'Unigram', explanation: 'Emissions start at the corpus’s token frequencies, spread per state by seeded random factors.' },
];

/** Why there is no "uniform" start, shown as the initialisation's tooltip. */
export const NO_UNIFORM_START =
  'There is no uniform start: a perfectly uniform HMM is a fixed point of Baum-Welch — every state stays identical to the others and nothing is learned.';

/** The note model has no token frequencies to start from, and does not use a step grid. */
export function initsFor(representation: HmmRepresentation): readonly InitOption[] {
  return representation === 'note' ? INITS.filter((option) => option.value !== 'unigram') : INITS;
}

export function usesResolution(representation: HmmRepresentation): boolean {
  return representation !== 'note';
}

/** Changing the representation keeps the form valid: a note model cannot start from unigram. */
export function withRepresentation(form: TrainForm, representation: HmmRepresentation): TrainForm {
  const init = initsFor(representation).some((option) => option.value === form.init) ? form.init : 'kmeans';
  return { ...form, representation, init };
}

type Parsed = { readonly value: number } | { readonly error: string };

function range(min: number, max: number): string {
  return `${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}`;
}

/** A whole number typed in a field, or what is wrong with it. */
export function parseWholeNumber(text: string, what: string, min: number, max: number): Parsed {
  const trimmed = text.trim();
  if (trimmed === '') return { error: `Enter ${what}.` };
  if (!/^[+-]?\d+$/.test(trimmed)) return { error: `${capitalise(what)} is a whole number from ${range(min, max)}.` };
  const value = Number(trimmed);
  if (value < min || value > max) return { error: `${capitalise(what)} is a whole number from ${range(min, max)}.` };
  return { value };
}

/** The tolerance: "1e-4", "0.0001" or ".001"; above 0 and at most 0.5. */
export function parseTolerance(text: string): Parsed {
  const trimmed = text.trim();
  if (trimmed === '') return { error: 'Enter a tolerance, e.g. 1e-4.' };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { error: 'The tolerance is a number such as 1e-4 or 0.001.' };
  if (value <= 0) return { error: 'The tolerance must be above 0 (training would never stop early).' };
  if (value > TRAIN_LIMITS.tolerance.max) return { error: `The tolerance is at most ${TRAIN_LIMITS.tolerance.max}.` };
  return { value };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export type TrainValidation = { readonly ok: true; readonly input: TrainModelRequest } | { readonly ok: false; readonly errors: TrainFormErrors };

/** The request the form describes, or a message per field that is wrong. */
export function validateTrainForm(form: TrainForm): TrainValidation {
  const errors: TrainFormErrors = {};
  const take = (field: TrainField, parsed: Parsed): number => {
    if ('error' in parsed) {
      errors[field] = parsed.error;
      return Number.NaN;
    }
    return parsed.value;
  };
  if (form.corpusId === null) errors.corpusId = 'Choose the corpus to train on.';
  const name = form.name.trim();
  if (name.length > TRAIN_LIMITS.name.max) errors.name = `A name is at most ${TRAIN_LIMITS.name.max} characters.`;
  const states = take('states', parseWholeNumber(form.states, 'the number of states', TRAIN_LIMITS.states.min, TRAIN_LIMITS.states.max));
  const maxIterations = take(
    'maxIterations',
    parseWholeNumber(form.maxIterations, 'the maximum number of iterations', TRAIN_LIMITS.maxIterations.min, TRAIN_LIMITS.maxIterations.max),
  );
  const tolerance = take('tolerance', parseTolerance(form.tolerance));
  const seed = take('seed', parseWholeNumber(form.seed, 'a seed', TRAIN_LIMITS.seed.min, TRAIN_LIMITS.seed.max));
  const resolution = usesResolution(form.representation)
    ? take('resolution', parseWholeNumber(form.resolution, 'the steps per quarter note', TRAIN_LIMITS.resolution.min, TRAIN_LIMITS.resolution.max))
    : 4;
  if (!initsFor(form.representation).some((option) => option.value === form.init)) {
    errors.init = 'The note representation starts from k-means or random, not unigram.';
  }
  if (Object.keys(errors).length > 0 || form.corpusId === null) return { ok: false, errors };

  const candidate = {
    corpusId: form.corpusId,
    ...(name === '' ? {} : { name }),
    family: 'hmm' as const,
    settings: { representation: form.representation, states, maxIterations, tolerance, init: form.init, seed, resolution },
  };
  // The contract's own check, in case it learned a rule this form has not.
  const checked = TrainModelInputSchema.safeParse(candidate);
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const field = fieldOf(issue.path);
      errors[field] ??= issue.message;
    }
    return { ok: false, errors };
  }
  return { ok: true, input: candidate };
}

function fieldOf(path: readonly PropertyKey[]): TrainField {
  const last = path.at(-1);
  const fields: readonly TrainField[] = ['corpusId', 'name', 'states', 'maxIterations', 'tolerance', 'init', 'seed', 'resolution'];
  return fields.find((field) => field === last) ?? 'corpusId';
}

/** A fresh seed in 0..2^31-1. */
export function randomSeed(random: () => number = Math.random): number {
  return Math.floor(random() * TRAIN_LIMITS.seed.max);
}
