/**
 * The editor's polyphonic uses apart from React: what each one works on (harmonize: the selected
 * notes of one track are the melody; infill: the selection's time span, or the loop, optionally only
 * the selection's pitch band; continue: the whole clip as the primer), why a use is not available
 * yet, the models it can use, and the dialog's form turned into the contract's request (the schema
 * has the last word, and its messages are shown).
 */
import type { MethodInput } from '../../../../core/ipc/contract';
import { GenerateInputSchema, HarmonizeInputSchema, InfillInputSchema, type ModelSummary } from '../../../../core/ipc/schemas';
import { notesWithIds, trackIndexById, type EditorDocument } from '../../editor/document';
import { pitchName } from '../../lib/music-labels';
import type { LoopRegion } from '../../playback/playback-api';

export type PolyphonicUse = 'harmonize' | 'infill' | 'continue';

export type HarmonizeRequest = MethodInput<'models.harmonize'>;
export type InfillRequest = MethodInput<'models.infill'>;
export type ContinueRequest = MethodInput<'models.generate'>;
export type PolyphonicRequest =
  | { readonly use: 'harmonize'; readonly input: HarmonizeRequest }
  | { readonly use: 'infill'; readonly input: InfillRequest }
  | { readonly use: 'continue'; readonly input: ContinueRequest };

export const USE_LABEL: Record<PolyphonicUse, string> = {
  harmonize: 'Harmonize',
  infill: 'Infill',
  continue: 'Continue',
};

/** The past tense, for results: "Harmonized “Chorale 3”". */
export const USE_DONE: Record<PolyphonicUse, string> = {
  harmonize: 'Harmonized',
  infill: 'Infilled',
  continue: 'Continued',
};

// ---- What each use works on -----------------------------------------------------------------

export type Availability<T> = { readonly ok: true; readonly target: T } | { readonly ok: false; readonly reason: string };

export interface MelodyTarget {
  /** The melody's track (index in the clip) and its name. */
  readonly track: number;
  readonly trackName: string;
  /** Indices of the melody's notes in that track's notes, as the saved clip orders them. */
  readonly notes: readonly number[];
  readonly startTick: number;
  readonly endTick: number;
  readonly lowPitch: number;
  readonly highPitch: number;
}

/**
 * The melody to harmonize: the selected notes, all on one track. The editor keeps each track's notes
 * in the order the saved clip has them (by start, then pitch), so an index here is an index there.
 */
export function harmonizeTarget(document: EditorDocument, selection: ReadonlySet<number>): Availability<MelodyTarget> {
  if (selection.size === 0) return { ok: false, reason: 'Select the melody first: its notes on one track (Ctrl/Cmd+A selects the whole track).' };
  const where = trackIndexById(document);
  const tracks = new Set<number>();
  for (const id of selection) {
    const track = where.get(id);
    if (track !== undefined) tracks.add(track);
  }
  if (tracks.size === 0) return { ok: false, reason: 'Select the melody first: its notes on one track (Ctrl/Cmd+A selects the whole track).' };
  if (tracks.size > 1) return { ok: false, reason: `The selection spans ${tracks.size} tracks: select the melody on one track.` };
  const track = [...tracks][0]!;
  const trackNotes = document.tracks[track]!.notes;
  const notes: number[] = [];
  let startTick = Infinity;
  let endTick = 0;
  let lowPitch = 127;
  let highPitch = 0;
  trackNotes.forEach((note, index) => {
    if (!selection.has(note.id)) return;
    notes.push(index);
    startTick = Math.min(startTick, note.ticks);
    endTick = Math.max(endTick, note.ticks + note.durationTicks);
    lowPitch = Math.min(lowPitch, note.pitch);
    highPitch = Math.max(highPitch, note.pitch);
  });
  return { ok: true, target: { track, trackName: document.tracks[track]!.name, notes, startTick, endTick, lowPitch, highPitch } };
}

export interface InfillTarget {
  readonly startTick: number;
  readonly endTick: number;
  /** Where the span comes from. */
  readonly source: 'selection' | 'loop';
  /** The selection's pitch band, offered as a limit (null from a loop without a selection). */
  readonly band: { readonly lowPitch: number; readonly highPitch: number } | null;
}

/** The region to infill: the selection's time span, or without a selection the loop range. */
export function infillTarget(document: EditorDocument, selection: ReadonlySet<number>, loop: LoopRegion | null): Availability<InfillTarget> {
  const notes = notesWithIds(document, selection);
  if (notes.length > 0) {
    let startTick = Infinity;
    let endTick = 0;
    let lowPitch = 127;
    let highPitch = 0;
    for (const note of notes) {
      startTick = Math.min(startTick, note.ticks);
      endTick = Math.max(endTick, note.ticks + note.durationTicks);
      lowPitch = Math.min(lowPitch, note.pitch);
      highPitch = Math.max(highPitch, note.pitch);
    }
    return { ok: true, target: { startTick, endTick, source: 'selection', band: { lowPitch, highPitch } } };
  }
  if (loop !== null && loop.endTicks > loop.startTicks) {
    return { ok: true, target: { startTick: loop.startTicks, endTick: loop.endTicks, source: 'loop', band: null } };
  }
  return { ok: false, reason: 'Mark the region to infill: select notes in it, or set a loop (Shift+drag on the ruler).' };
}

/** Continue needs music to continue. */
export function continueTarget(document: EditorDocument): Availability<{ readonly noteCount: number }> {
  let noteCount = 0;
  for (const track of document.tracks) noteCount += track.notes.length;
  if (noteCount === 0) return { ok: false, reason: 'The clip is empty: there is nothing to continue (Continue in Models starts without a primer).' };
  return { ok: true, target: { noteCount } };
}

/** "C4–G5" (one pitch: "C4"). */
export function describeBand(band: { readonly lowPitch: number; readonly highPitch: number }): string {
  return band.lowPitch === band.highPitch ? pitchName(band.lowPitch) : `${pitchName(band.lowPitch)}–${pitchName(band.highPitch)}`;
}

// ---- The models a use can take --------------------------------------------------------------

/** Polyphonic models with parameters (at least one epoch), newest first: a stopped run's checkpoint counts. */
export function usablePolyphonicModels(models: readonly ModelSummary[]): readonly ModelSummary[] {
  return models.filter((model) => model.family === 'polyphonic' && model.iterations > 0);
}

/** How to get a model when there is none to pick. */
export function noModelAdvice(models: readonly ModelSummary[]): string {
  const training = models.find((model) => model.family === 'polyphonic' && model.iterations === 0 && model.status === 'training');
  if (training) return `“${training.name}” is still on its first epoch: it can be used once an epoch is done.`;
  return 'No trained polyphonic model yet. In Models, use Train… and choose Polyphonic (RNN-NADE); any model with one finished epoch can be used here.';
}

// ---- The dialog's form ------------------------------------------------------------------------

export interface PolyphonicUseForm {
  readonly modelId: number | null;
  readonly count: string;
  readonly temperature: number;
  /** Empty: main picks one. */
  readonly seed: string;
  /** Harmonize: where the melody rests. */
  readonly restSteps: 'free' | 'silent';
  /** Infill: grid steps after the region the result must explain. */
  readonly lookahead: string;
  /** Infill: only the selection's pitch band. */
  readonly limitToBand: boolean;
  /** Continue: how much to add. */
  readonly lengthValue: string;
  readonly lengthUnit: 'bars' | 'steps';
}

export type PolyphonicUseField = 'modelId' | 'count' | 'temperature' | 'seed' | 'lookahead' | 'lengthValue' | 'region' | 'notes';
export type PolyphonicUseErrors = Partial<Record<PolyphonicUseField, string>>;

export const USE_LIMITS = {
  count: { min: 1, max: 16 },
  temperature: { min: 0.05, max: 2, step: 0.05 },
  lookahead: { min: 0, max: 256 },
  length: { min: 1, max: 10_000 },
} as const;

export function defaultUseForm(models: readonly ModelSummary[], previous?: Partial<PolyphonicUseForm>): PolyphonicUseForm {
  const usable = usablePolyphonicModels(models);
  const kept = previous?.modelId !== undefined && usable.some((model) => model.id === previous.modelId) ? previous.modelId : (usable[0]?.id ?? null);
  return {
    count: '2',
    temperature: 1,
    seed: '',
    restSteps: 'free',
    lookahead: '16',
    limitToBand: false,
    lengthValue: '4',
    lengthUnit: 'bars',
    ...previous,
    modelId: kept ?? null,
  };
}

export type UseValidation = { readonly ok: true; readonly request: PolyphonicRequest } | { readonly ok: false; readonly errors: PolyphonicUseErrors };

type Parsed = { readonly value: number } | { readonly error: string };

function wholeNumber(text: string, what: string, min: number, max: number): Parsed {
  const trimmed = text.trim();
  if (trimmed === '') return { error: `Enter ${what}.` };
  const value = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || value < min || value > max) {
    return { error: `${what.charAt(0).toUpperCase()}${what.slice(1)} is a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}.` };
  }
  return { value };
}

/** The schema's issues by the form's fields (the first per field). */
function schemaErrors(issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[]): PolyphonicUseErrors {
  const errors: PolyphonicUseErrors = {};
  const fieldOf: Record<string, PolyphonicUseField> = {
    modelId: 'modelId',
    count: 'count',
    temperature: 'temperature',
    seed: 'seed',
    lookahead: 'lookahead',
    length: 'lengthValue',
    region: 'region',
    notes: 'notes',
    track: 'notes',
    clipId: 'region',
    primerClipId: 'region',
  };
  for (const issue of issues) {
    const key = issue.path.find((part) => typeof part === 'string' && part in fieldOf);
    const field = typeof key === 'string' ? fieldOf[key]! : 'region';
    errors[field] ??= issue.message;
  }
  return errors;
}

export type UseContext =
  | { readonly use: 'harmonize'; readonly clipId: number; readonly target: MelodyTarget }
  | { readonly use: 'infill'; readonly clipId: number; readonly target: InfillTarget }
  | { readonly use: 'continue'; readonly clipId: number };

/** The request the dialog describes for this use, or a message per wrong field. */
export function validateUseForm(form: PolyphonicUseForm, context: UseContext): UseValidation {
  const errors: PolyphonicUseErrors = {};
  if (form.modelId === null) errors.modelId = 'Choose a trained polyphonic model.';
  const count = wholeNumber(form.count, 'the number of variations', USE_LIMITS.count.min, USE_LIMITS.count.max);
  if ('error' in count) errors.count = count.error;
  let seed: number | undefined;
  if (form.seed.trim() !== '') {
    const parsed = wholeNumber(form.seed, 'a seed', 0, 2 ** 31 - 1);
    if ('error' in parsed) errors.seed = parsed.error;
    else seed = parsed.value;
  }
  const common = {
    modelId: form.modelId ?? 0,
    count: 'error' in count ? Number.NaN : count.value,
    temperature: form.temperature,
    ...(seed === undefined ? {} : { seed }),
  };
  let request: PolyphonicRequest;
  let checked: { success: true } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
  if (context.use === 'harmonize') {
    const input: HarmonizeRequest = { ...common, clipId: context.clipId, track: context.target.track, notes: [...context.target.notes], restSteps: form.restSteps };
    request = { use: 'harmonize', input };
    checked = HarmonizeInputSchema.safeParse(input);
  } else if (context.use === 'infill') {
    const lookahead = wholeNumber(form.lookahead, 'the lookahead', USE_LIMITS.lookahead.min, USE_LIMITS.lookahead.max);
    if ('error' in lookahead) errors.lookahead = lookahead.error;
    const band = form.limitToBand ? context.target.band : null;
    const input: InfillRequest = {
      ...common,
      clipId: context.clipId,
      region: {
        startTick: context.target.startTick,
        endTick: context.target.endTick,
        ...(band === null ? {} : { lowPitch: band.lowPitch, highPitch: band.highPitch }),
      },
      lookahead: 'error' in lookahead ? Number.NaN : lookahead.value,
    };
    request = { use: 'infill', input };
    checked = InfillInputSchema.safeParse(input);
  } else {
    const length = wholeNumber(form.lengthValue, `the length in ${form.lengthUnit}`, USE_LIMITS.length.min, USE_LIMITS.length.max);
    if ('error' in length) errors.lengthValue = length.error;
    const input: ContinueRequest = {
      ...common,
      primerClipId: context.clipId,
      length: { unit: form.lengthUnit, value: 'error' in length ? Number.NaN : length.value },
    };
    request = { use: 'continue', input };
    checked = GenerateInputSchema.safeParse(input);
    // The generate schema allows 0 (an HMM's greedy choice); a polyphonic model samples.
    if (!(form.temperature > 0)) errors.temperature = 'The temperature is above 0.';
  }
  if (!checked.success) {
    const fromSchema = schemaErrors(checked.error.issues);
    for (const [field, message] of Object.entries(fromSchema) as [PolyphonicUseField, string][]) {
      // The form's own message for a field it already found wrong; the model is the form's to name.
      if (field === 'modelId' && form.modelId === null) continue;
      errors[field] ??= message;
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, request };
}

/** A short summary of what the use works on, for the dialog's first line. */
export function describeTarget(context: UseContext, form: Pick<PolyphonicUseForm, 'limitToBand'>, span: (ticks: number) => string): string {
  switch (context.use) {
    case 'harmonize': {
      const { target } = context;
      const notes = `${target.notes.length} melody note${target.notes.length === 1 ? '' : 's'}`;
      return `${notes} on “${target.trackName || `Track ${target.track + 1}`}”, ${span(target.startTick)}–${span(target.endTick)}, ${describeBand(target)}`;
    }
    case 'infill': {
      const { target } = context;
      const where = `${span(target.startTick)}–${span(target.endTick)} (${target.source === 'selection' ? 'the selection’s span' : 'the loop'})`;
      return form.limitToBand && target.band ? `${where}, only ${describeBand(target.band)}` : `${where}, all pitches`;
    }
    case 'continue':
      return 'The whole clip is the primer; each result is the clip and what follows.';
  }
}
