/**
 * The one IPC contract of the studio. Every request the renderer may make and every event main may
 * send is named here, with its schemas. Main registers handlers for exactly these names through one
 * validating wrapper; the preload (Electron) and the WebSocket client (browser mode) expose exactly
 * these as `window.studio`. Renaming a method here breaks the build on every side.
 */
import { z } from 'zod';
import {
  AppInfoSchema,
  CorpusSummarySchema,
  Id,
  ImportFilesInputSchema,
  ImportPathsInputSchema,
  JobSchema,
  MidiFileSchema,
  PieceSchema,
  PieceSummarySchema,
  SettingsSchema,
  SplitCountsSchema,
  SplitSchema,
  ClipSchema,
  ClipSummarySchema,
  GenerateInputSchema,
  HarmonizeInputSchema,
  InfillInputSchema,
  ReconstructInputSchema,
  InterpolateInputSchema,
  ModelSummarySchema,
  TrainModelInputSchema,
  ViterbiSchema,
  MusicSchema,
  MusicSourceSchema,
  WavFileSchema,
  ComparisonSchema,
  ComparisonSummarySchema,
  CreateComparisonInputSchema,
  PreferenceInputSchema,
} from './schemas';
import { CorpusStatisticsSchema } from '../music/stats/schema';

// zod compiles fast parsers with `new Function` unless told not to; the renderer's CSP forbids eval.
z.config({ jitless: true });

const NoInput = z.undefined();
const Done = z.object({ ok: z.literal(true) });
const JobRef = z.object({ jobId: Id });

function method<I extends z.ZodType, O extends z.ZodType>(input: I, output: O): { input: I; output: O } {
  return { input, output };
}

export const methods = {
  'app.info': method(NoInput, AppInfoSchema),

  'settings.get': method(NoInput, SettingsSchema),
  'settings.update': method(SettingsSchema.partial().strict(), SettingsSchema),

  'corpora.list': method(NoInput, z.array(CorpusSummarySchema)),
  'corpora.pieces': method(z.object({ corpusId: Id }).strict(), z.array(PieceSummarySchema)),
  'corpora.delete': method(z.object({ corpusId: Id }).strict(), Done),
  /** Import files or folders (recursively) that main can read by path: Electron dialogs and drops. */
  'corpora.importPaths': method(ImportPathsInputSchema.strict(), JobRef),
  /** Import files whose bytes the renderer holds: browser mode, where paths are not visible. */
  'corpora.importFiles': method(ImportFilesInputSchema.strict(), JobRef),

  /** Statistics of a corpus, or of one of its splits (split: null for the whole corpus). */
  'corpora.statistics': method(z.object({ corpusId: Id, split: SplitSchema.nullable() }).strict(), CorpusStatisticsSchema),
  'corpora.splits': method(z.object({ corpusId: Id }).strict(), SplitCountsSchema),
  /** Draws the seeded train/valid/test split again with a new seed; folder splits stay. */
  'corpora.resplit': method(z.object({ corpusId: Id, seed: z.number().int().min(0).max(2 ** 31 - 1) }).strict(), SplitCountsSchema),

  'pieces.get': method(z.object({ pieceId: Id }).strict(), PieceSchema),
  /** The piece as a Standard MIDI File, for a download (browser mode). */
  'pieces.midi': method(z.object({ pieceId: Id }).strict(), MidiFileSchema),
  /** Electron only: "Export MIDI…" with the native save dialog; savedTo is null when cancelled. */
  'pieces.exportMidi': method(z.object({ pieceId: Id }).strict(), z.object({ savedTo: z.string().nullable() })),

  'models.list': method(NoInput, z.array(ModelSummarySchema)),
  'models.get': method(z.object({ modelId: Id }).strict(), ModelSummarySchema),
  /** Starts training on the corpus's train split (validation split for held-out likelihood). */
  'models.train': method(TrainModelInputSchema, z.object({ modelId: Id, jobId: Id })),
  /** Continues a stopped (cancelled, interrupted) model from its last completed iteration. */
  'models.resume': method(z.object({ modelId: Id, maxIterations: z.number().int().min(1).max(10_000).optional() }).strict(), JobRef),
  'models.delete': method(z.object({ modelId: Id }).strict(), Done),
  /**
   * Samples new music; each sample becomes a clip. Polyphonic models continue a primer clip
   * polyphonically; a VAE samples segments from its prior (its own length); an RL model as an LSTM.
   */
  'models.generate': method(GenerateInputSchema, JobRef),
  /** Polyphonic models: voices under a melody selected in a clip; each result becomes a clip. */
  'models.harmonize': method(HarmonizeInputSchema, JobRef),
  /** Polyphonic models: a region of a clip regenerated in context; each result becomes a clip. */
  'models.infill': method(InfillInputSchema, JobRef),
  /** VAE models: a clip's segment encoded and decoded again; each result becomes a clip. */
  'models.reconstruct': method(ReconstructInputSchema, JobRef),
  /** VAE models: a latent-space path between two clips' segments; the result is one clip. */
  'models.interpolate': method(InterpolateInputSchema, JobRef),
  /** The most likely hidden-state path under a piece. */
  'models.viterbi': method(
    z.union([z.object({ modelId: Id, pieceId: Id }).strict(), z.object({ modelId: Id, clipId: Id }).strict()]),
    ViterbiSchema,
  ),

  'clips.list': method(NoInput, z.array(ClipSummarySchema)),
  'clips.get': method(z.object({ clipId: Id }).strict(), ClipSchema),
  'clips.delete': method(z.object({ clipId: Id }).strict(), Done),
  /** An editable copy of a piece or clip (the imported original is never altered). */
  'clips.create': method(z.object({ from: MusicSourceSchema, name: z.string().trim().min(1).max(200).optional() }).strict(), ClipSummarySchema),
  /** Saves the editor's changes to a clip (its name, its music, or both). */
  'clips.update': method(
    z.object({ clipId: Id, name: z.string().trim().min(1).max(200).optional(), music: MusicSchema.optional() }).strict(),
    ClipSummarySchema,
  ),
  'clips.midi': method(z.object({ clipId: Id }).strict(), MidiFileSchema),
  /** Electron only: "Export MIDI…" for a clip. */
  'clips.exportMidi': method(z.object({ clipId: Id }).strict(), z.object({ savedTo: z.string().nullable() })),

  /** Generates samples from every model, scores them against the corpus, in a job; reopens instantly. */
  'comparisons.create': method(CreateComparisonInputSchema, z.object({ comparisonId: Id, jobId: Id })),
  'comparisons.list': method(NoInput, z.array(ComparisonSummarySchema)),
  'comparisons.get': method(z.object({ comparisonId: Id }).strict(), ComparisonSchema),
  'comparisons.delete': method(z.object({ comparisonId: Id }).strict(), Done),
  /** Records one blind (or open) A/B preference between two samples of the comparison. */
  'comparisons.recordPreference': method(PreferenceInputSchema, ComparisonSchema),
  /** The numbers as CSV (one row per model and metric). */
  'comparisons.csv': method(z.object({ comparisonId: Id }).strict(), z.object({ fileName: z.string(), text: z.string() })),
  /** Every sample as a .mid file, by model: for a zip download (browser mode). */
  'comparisons.midiFiles': method(z.object({ comparisonId: Id }).strict(), z.array(z.object({ relativePath: z.string(), base64: z.string() }))),
  /** Electron only: writes the samples as a folder of .mid files chosen with the native dialog. */
  'comparisons.exportMidiFolder': method(z.object({ comparisonId: Id }).strict(), z.object({ savedTo: z.string().nullable() })),

  /** Renders a piece or clip to a 44.1 kHz 16-bit stereo .wav with the General MIDI SoundFont, in a job. */
  'audio.renderWav': method(z.object({ source: MusicSourceSchema }).strict(), JobRef),
  /** The rendered file of a finished render job (browser mode downloads it). */
  'audio.wav': method(JobRef.strict(), WavFileSchema),
  /** Electron only: "Export WAV…" saves a finished render with the native save dialog. */
  'audio.exportWav': method(JobRef.strict(), z.object({ savedTo: z.string().nullable() })),

  /** Electron only: the native open dialog for MIDI files and folders. Empty when cancelled. */
  'dialog.chooseImportPaths': method(
    z.object({ folders: z.boolean() }).strict(),
    z.object({ paths: z.array(z.string()) }),
  ),

  'jobs.list': method(NoInput, z.array(JobSchema)),
  'jobs.get': method(z.object({ jobId: Id }).strict(), JobSchema),
  'jobs.cancel': method(z.object({ jobId: Id }).strict(), Done),
} as const;

export const events = {
  'job.updated': JobSchema,
  'library.changed': z.object({ corpusId: Id.nullable() }),
  /** A model changed: a training iteration finished (the live curve), it was stopped, evaluated or deleted. */
  'model.updated': z.object({ modelId: Id, model: ModelSummarySchema.nullable() }),
  'clips.changed': z.object({ clipId: Id.nullable() }),
  'comparison.updated': z.object({ comparisonId: Id }),
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Methods[M]['output']>;
export type ParsedInput<M extends MethodName> = z.output<Methods[M]['input']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export const METHOD_NAMES = Object.keys(methods) as MethodName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(methods, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}

/** What a handler may return: the output, or a read-only view of it (the dispatcher copies it anyway). */
type Returnable<T> = T extends readonly (infer U)[]
  ? readonly Returnable<U>[]
  : T extends object
    ? { readonly [K in keyof T]: Returnable<T[K]> }
    : T;

/** The handlers main provides: one per method, receiving the parsed input. */
export type Handlers = {
  [M in MethodName]: (input: ParsedInput<M>) => Promise<Returnable<MethodOutput<M>>> | Returnable<MethodOutput<M>>;
};

/** The Electron IPC channel names, one for requests and one for events. */
export const IPC_INVOKE_CHANNEL = 'studio:invoke';
export const IPC_EVENT_CHANNEL = 'studio:event';
