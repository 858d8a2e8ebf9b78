/**
 * Runtime schemas for everything that crosses a process boundary.
 * The renderer is untrusted: main parses every argument with these before acting on it.
 */
import { z } from 'zod';
import { ComparisonReportSchema, MusPySetMetricsSchema } from '../metrics/schema';
import { CorpusStatisticsSchema } from '../music/stats/schema';

export const Id = z.number().int().positive();

export const SplitSchema = z.enum(['train', 'valid', 'test']);

export const CorpusSummarySchema = z.object({
  id: Id,
  name: z.string(),
  createdAt: z.string(),
  pieceCount: z.number().int().nonnegative(),
  noteCount: z.number().int().nonnegative(),
  durationSeconds: z.number().nonnegative(),
});
export type CorpusSummary = z.infer<typeof CorpusSummarySchema>;

export const PieceSummarySchema = z.object({
  id: Id,
  corpusId: Id,
  fileName: z.string(),
  /** Path relative to the folder that was imported, e.g. "train/001.mid". */
  relativePath: z.string(),
  split: SplitSchema.nullable(),
  ppq: z.number().int().positive(),
  trackCount: z.number().int().nonnegative(),
  noteCount: z.number().int().nonnegative(),
  durationSeconds: z.number().nonnegative(),
  /** The first tempo of the piece, in quarter notes per minute. */
  initialBpm: z.number().positive(),
  /** The first time signature, e.g. "4/4". */
  initialTimeSignature: z.string(),
});
export type PieceSummary = z.infer<typeof PieceSummarySchema>;

export const JobStatusSchema = z.enum(['queued', 'running', 'done', 'failed', 'cancelled']);
export type JobStatus = z.infer<typeof JobStatusSchema>;

export const ImportFailureSchema = z.object({ file: z.string(), error: z.string() });
export type ImportFailure = z.infer<typeof ImportFailureSchema>;

/** What each kind of job returns when it is done; later job kinds extend this union. */
export const JobResultSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('import-midi'),
    corpusId: Id,
    imported: z.number().int().nonnegative(),
    duplicates: z.array(z.string()),
    failures: z.array(ImportFailureSchema),
  }),
  z.object({
    kind: z.literal('train-model'),
    modelId: Id,
    iterations: z.number().int().nonnegative(),
    /** converged, reached maxIterations, or stopped (cancelled: resume continues from the last iteration). */
    stopReason: z.enum(['converged', 'max-iterations', 'stopped']),
    logLikelihoodPerToken: z.number().nullable(),
  }),
  z.object({ kind: z.literal('generate'), modelId: Id, clipIds: z.array(Id) }),
  z.object({ kind: z.literal('compare'), comparisonId: Id }),
  z.object({
    kind: z.literal('render-wav'),
    fileName: z.string(),
    durationSeconds: z.number().nonnegative(),
    sampleRate: z.number().int().positive(),
    bytes: z.number().int().nonnegative(),
    soundFont: z.string(),
  }),
]);
export type JobResult = z.infer<typeof JobResultSchema>;

export const JobKindSchema = z.enum(['import-midi', 'train-model', 'generate', 'render-wav', 'compare']);
export type JobKind = z.infer<typeof JobKindSchema>;

export const JobSchema = z.object({
  id: Id,
  kind: z.string(),
  title: z.string(),
  status: JobStatusSchema,
  /** 0..1 */
  progress: z.number().min(0).max(1),
  message: z.string(),
  error: z.string().nullable(),
  result: JobResultSchema.nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type Job = z.infer<typeof JobSchema>;

const CorpusName = z
  .string()
  .trim()
  .min(1, 'A corpus needs a name.')
  .max(200, 'A corpus name is at most 200 characters.');

const MAX_UPLOAD_FILES = 10_000;
/** Base64 of at most 32 MiB: larger files are not MIDI a composer would import. */
const MAX_UPLOAD_BASE64 = Math.ceil((32 * 1024 * 1024 * 4) / 3);

export const ImportPathsInputSchema = z.object({
  corpusName: CorpusName,
  paths: z.array(z.string().min(1)).min(1, 'Choose at least one file or folder.').max(MAX_UPLOAD_FILES),
});

export const UploadedFileSchema = z.object({
  /** Path relative to what the user chose, with "/" separators; used to keep train/valid/test folders. */
  relativePath: z
    .string()
    .min(1)
    .max(1000)
    .refine((p) => !p.split(/[\\/]/).includes('..'), 'A relative path may not contain "..".'),
  base64: z.string().max(MAX_UPLOAD_BASE64, 'A file over 32 MiB is not imported.'),
});
export type UploadedFile = z.infer<typeof UploadedFileSchema>;

export const ImportFilesInputSchema = z.object({
  corpusName: CorpusName,
  files: z.array(UploadedFileSchema).min(1, 'Choose at least one file.').max(MAX_UPLOAD_FILES),
});

export const AppInfoSchema = z.object({
  version: z.string(),
  /** 'electron' when the preload provides the API, 'browser' when it comes over the WebSocket. */
  mode: z.enum(['electron', 'browser']),
  dataDir: z.string(),
  databasePath: z.string(),
  workerCount: z.number().int().positive(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

export const SettingsSchema = z.object({
  /** Web MIDI System Exclusive messages: off unless the composer turns it on. */
  midiSysex: z.boolean(),
  /** A SoundFont (.sf2/.sf3) the composer picked for .wav export; null for the built-in General MIDI one. */
  soundFontPath: z.string().min(1).nullable(),
});
export type Settings = z.infer<typeof SettingsSchema>;

const Midi7 = z.number().int().min(0).max(127);
const Ticks = z.number().int().nonnegative();

/** Music as core/music/types.ts defines a Piece, without the studio's ids. */
export const MusicSchema = z.object({
  name: z.string(),
  ppq: z.number().int().positive(),
  durationTicks: Ticks,
  duration: z.number().nonnegative(),
  tempos: z.array(z.object({ ticks: Ticks, bpm: z.number().positive() })),
  timeSignatures: z.array(z.object({ ticks: Ticks, numerator: z.number().int().positive(), denominator: z.number().int().positive() })),
  keySignatures: z.array(z.object({ ticks: Ticks, key: z.string(), scale: z.enum(['major', 'minor']) })),
  tracks: z.array(
    z.object({
      name: z.string(),
      program: Midi7,
      channel: z.number().int().min(0).max(15),
      isDrum: z.boolean(),
      notes: z.array(
        z.object({ ticks: Ticks, durationTicks: Ticks, time: z.number(), duration: z.number(), pitch: Midi7, velocity: Midi7 }),
      ),
      controlChanges: z.array(z.object({ ticks: Ticks, time: z.number(), controller: Midi7, value: Midi7 })),
    }),
  ),
});
/** A whole imported piece. */
export const PieceSchema = MusicSchema.extend({ id: Id, corpusId: Id, split: SplitSchema.nullable() });
export type PieceWithId = z.infer<typeof PieceSchema>;

/** A clip: music the studio made (generated by a model, later edited in the piano roll). */
export const ClipSchema = MusicSchema.extend({ id: Id, modelId: Id.nullable(), createdAt: z.string() });
export type Clip = z.infer<typeof ClipSchema>;

export const ClipSummarySchema = z.object({
  id: Id,
  name: z.string(),
  modelId: Id.nullable(),
  modelName: z.string().nullable(),
  createdAt: z.string(),
  trackCount: z.number().int().nonnegative(),
  noteCount: z.number().int().nonnegative(),
  durationSeconds: z.number().nonnegative(),
});
export type ClipSummary = z.infer<typeof ClipSummarySchema>;

// ---- Models -------------------------------------------------------------------------------

/**
 * hmm: Baum-Welch HMMs; lstm: the seeds' next-note LSTM; transformer: a small decoder-only transformer
 * over events; polyphonic: an RNN-NADE over piano-roll frames (a joint over simultaneous notes);
 * vae: a MusicVAE-style hierarchical recurrent VAE over melody segments; rl: an LSTM of the studio
 * tuned by policy gradient against a learned discriminator (and music-theory rewards).
 */
export const ModelFamilySchema = z.enum(['hmm', 'lstm', 'transformer', 'polyphonic', 'vae', 'rl']);
export type ModelFamily = z.infer<typeof ModelFamilySchema>;

/** The representation an HMM reads: pitch (with hold and rest), MIDI-like events, or note rows. */
export const HmmRepresentationSchema = z.enum(['pitch', 'event', 'note']);
export type HmmRepresentation = z.infer<typeof HmmRepresentationSchema>;

/**
 * Every model's representation: the HMMs' three, 'note-steps', the LSTM's view of notes as
 * (pitch, step from the previous onset, duration, velocity) in seconds (encodeNoteSteps), and
 * 'pianoroll', the polyphonic models' binary frames (the set of pitches sounding at each grid step),
 * and 'melody', the VAE's MusicVAE tokens per grid step (rest, hold, or a note-on of a pitch).
 */
export const ModelRepresentationSchema = z.enum(['pitch', 'event', 'note', 'note-steps', 'pianoroll', 'melody']);
export type ModelRepresentation = z.infer<typeof ModelRepresentationSchema>;

const SeedSchema = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1)
  .default(1);

export const HmmSettingsSchema = z
  .object({
    representation: HmmRepresentationSchema,
    states: z.number().int().min(1, 'An HMM needs at least one state.').max(512),
    maxIterations: z.number().int().min(1).max(10_000).default(100),
    /** Training stops when the relative change of the log-likelihood falls below this. */
    tolerance: z.number().positive().max(0.5).default(1e-4),
    /** A perfectly uniform start cannot learn (it is a fixed point of Baum-Welch), so none is offered. */
    init: z.enum(['random', 'kmeans', 'unigram']).default('kmeans'),
    seed: SeedSchema,
    /** Steps per quarter note for the pitch and event representations. */
    resolution: z.number().int().min(1).max(48).default(4),
  })
  .strict()
  .refine((settings) => !(settings.representation === 'note' && settings.init === 'unigram'), {
    message: 'The note representation starts from random or k-means, not unigram.',
    path: ['init'],
  });
export type HmmSettings = z.infer<typeof HmmSettingsSchema>;

/** How the learning rate moves over the epochs: constant, stepped down, or a cosine to a tenth. */
export const LearningRateScheduleSchema = z.enum(['constant', 'step', 'cosine']);
export type LearningRateSchedule = z.infer<typeof LearningRateScheduleSchema>;

/** What every neural model trains with (Adam, mini-batches, epochs over the train split). */
const neuralTrainingFields = (defaults: { learningRate: number; dropout: number; batchSize: number }) => ({
  /** Epochs at most (called maxIterations like the HMM's, so models.resume extends either). */
  maxIterations: z.number().int().min(1, 'Train for at least one epoch.').max(10_000).default(20),
  batchSize: z.number().int().min(1, 'A batch holds at least one example.').max(1024).default(defaults.batchSize),
  learningRate: z
    .number({ error: 'The learning rate must be a number (not NaN or infinite).' })
    .positive('The learning rate must be above 0.')
    .max(1, 'A learning rate above 1 makes Adam diverge.')
    .default(defaults.learningRate),
  schedule: LearningRateScheduleSchema.default('cosine'),
  /** 'step': the rate is multiplied by stepFactor every stepEvery epochs. */
  stepEvery: z.number().int().min(1).max(10_000).default(10),
  stepFactor: z.number().positive().max(1).default(0.5),
  /** Early stopping: stop when the validation loss has not improved for this many epochs (0: never). */
  patience: z.number().int().min(0).max(10_000).default(5),
  dropout: z.number().min(0).max(0.9, 'Dropout is at most 0.9.').default(defaults.dropout),
  /** Augmentation: each training window is transposed by up to ± this many semitones (0: off). */
  transpose: z.number().int().min(0).max(12).default(0),
  seed: SeedSchema,
});

export const LstmSettingsSchema = z
  .object({
    family: z.literal('lstm').default('lstm'),
    representation: z.literal('note-steps').default('note-steps'),
    /** Notes per input window; the model predicts the note after it. */
    windowLength: z.number().int().min(1, 'The window holds at least one note.').max(1024).default(25),
    /** Units of each stacked LSTM layer, first to last. */
    units: z
      .array(z.number().int().min(1, 'Every LSTM layer needs at least one unit.').max(2048))
      .min(1, 'Give at least one LSTM layer.')
      .max(8)
      .default([128]),
    /** Size of the learned pitch embedding; 0 feeds pitch/128 as one number (the seeds' model). */
    pitchEmbedding: z.number().int().min(0).max(512).default(32),
    /** Velocity as an input and a fourth head. */
    velocity: z.boolean().default(true),
    lossWeights: z
      .object({
        pitch: z.number().min(0).max(100).default(0.05),
        step: z.number().min(0).max(100).default(1),
        duration: z.number().min(0).max(100).default(1),
        velocity: z.number().min(0).max(100).default(1),
      })
      .strict()
      .default({ pitch: 0.05, step: 1, duration: 1, velocity: 1 }),
    /** Augmentation: steps and durations of each training window are scaled by a factor in 1 ± this. */
    timeStretch: z.number().min(0).max(0.5).default(0),
    ...neuralTrainingFields({ learningRate: 0.005, dropout: 0, batchSize: 64 }),
  })
  .strict();
export type LstmSettings = z.infer<typeof LstmSettingsSchema>;

export const TransformerSettingsSchema = z
  .object({
    family: z.literal('transformer').default('transformer'),
    representation: z.literal('event').default('event'),
    /** Steps per quarter note of the event grid (as the event HMM's). */
    resolution: z.number().int().min(1).max(48).default(4),
    /** Tokens the model attends over (learned positions, one per place). */
    contextLength: z.number().int().min(2, 'The context holds at least two tokens.').max(2048).default(128),
    layers: z.number().int().min(1, 'A transformer needs at least one layer.').max(24).default(2),
    heads: z.number().int().min(1, 'Attention needs at least one head.').max(32).default(4),
    modelSize: z.number().int().min(4, 'The model size is at least 4.').max(2048).default(128),
    feedForwardSize: z.number().int().min(1, 'The feed-forward layer needs at least one unit.').max(8192).default(512),
    ...neuralTrainingFields({ learningRate: 0.001, dropout: 0.1, batchSize: 16 }),
  })
  .strict()
  .refine((settings) => settings.modelSize % settings.heads === 0, {
    message: 'The model size must be a multiple of the number of heads.',
    path: ['modelSize'],
  });
export type TransformerSettings = z.infer<typeof TransformerSettingsSchema>;

/**
 * A polyphonic model (core/models/polyphonic): stacked LSTMs over piano-roll frames, then per frame
 * a NADE over its pitches (rnn-nade: a proper joint over simultaneous notes) or, as the labelled
 * BASELINE, one independent sigmoid per pitch (rnn-bernoulli). The pitch range is the train split's
 * (widened by `transpose` where the piano allows), fixed when training starts.
 */
export const PolyphonicSettingsSchema = z
  .object({
    family: z.literal('polyphonic').default('polyphonic'),
    representation: z.literal('pianoroll').default('pianoroll'),
    kind: z.enum(['rnn-nade', 'rnn-bernoulli']).default('rnn-nade'),
    /** Grid steps per quarter note (the studio's 16ths: 4; the JSB benchmark's quarters: 1). */
    resolution: z.number().int().min(1).max(48).default(4),
    units: z
      .array(z.number().int().min(1, 'Every LSTM layer needs at least one unit.').max(2048))
      .min(1, 'Give at least one LSTM layer.')
      .max(8)
      .default([256, 256]),
    /** Hidden units of the NADE over each frame's pitches (rnn-nade only). */
    nadeHidden: z.number().int().min(1).max(2048).default(128),
    /** Epochs at most (called maxIterations like the other families', so models.resume extends any). */
    maxIterations: z.number().int().min(1, 'Train for at least one epoch.').max(10_000).default(200),
    /** Pieces per batch. */
    batchSize: z.number().int().min(1, 'A batch holds at least one piece.').max(1024).default(8),
    learningRate: z
      .number({ error: 'The learning rate must be a number (not NaN or infinite).' })
      .positive('The learning rate must be above 0.')
      .max(1, 'A learning rate above 1 makes Adam diverge.')
      .default(0.002),
    /** Early stopping: stop when the held-out frame NLL has not improved for this many epochs (0: never). */
    patience: z.number().int().min(0).max(10_000).default(20),
    dropout: z.number().min(0).max(0.9, 'Dropout is at most 0.9.').default(0.3),
    inputDropout: z.number().min(0).max(0.9, 'Dropout is at most 0.9.').default(0.1),
    /** Augmentation: each piece, each epoch, is transposed by up to ± this many semitones (0: off). */
    transpose: z.number().int().min(0).max(12).default(6),
    seed: SeedSchema,
  })
  .strict();
export type PolyphonicSettings = z.infer<typeof PolyphonicSettingsSchema>;

/**
 * A MusicVAE-style VAE (core/models/vae): a bidirectional LSTM encoder → z, a conductor LSTM (one
 * embedding per bar) and a bar-level LSTM decoder; trained on segments of `bars` bars of
 * `beatsPerBar` quarter notes cut from the corpus on the bar grid, as melody tokens (the highest
 * sounding note per step). ELBO with KL annealing (β), free bits and scheduled sampling.
 */
export const VaeSettingsSchema = z
  .object({
    family: z.literal('vae').default('vae'),
    representation: z.literal('melody').default('melody'),
    /** Bars per segment (MusicVAE: 2 or 16). */
    bars: z.number().int().min(1, 'A segment holds at least one bar.').max(32).default(2),
    /** Quarter notes per bar: only bars of this length (4: 4/4, 3: 3/4) are cut into segments. */
    beatsPerBar: z.number().int().min(1).max(16).default(4),
    /** Grid steps per quarter note (4: 16ths). */
    resolution: z.number().int().min(1).max(12).default(4),
    /** Conductor + bar decoder (true), or one flat decoder over the segment (false: MusicVAE's 2-bar models). */
    hierarchical: z.boolean().default(true),
    latentSize: z.number().int().min(1).max(1024).default(256),
    encoderUnits: z.number().int().min(1).max(2048).default(256),
    conductorUnits: z.number().int().min(1).max(2048).default(256),
    decoderUnits: z.number().int().min(1).max(2048).default(256),
    /** Epochs at most. */
    maxIterations: z.number().int().min(1, 'Train for at least one epoch.').max(10_000).default(50),
    /** Segments per batch. */
    batchSize: z.number().int().min(1).max(1024).default(64),
    learningRate: z
      .number({ error: 'The learning rate must be a number (not NaN or infinite).' })
      .positive('The learning rate must be above 0.')
      .max(1, 'A learning rate above 1 makes Adam diverge.')
      .default(0.001),
    /** Early stopping on the held-out bound (0: never). */
    patience: z.number().int().min(0).max(10_000).default(10),
    /** Augmentation: each segment, each epoch, transposed by up to ± this many semitones (0: off). */
    transpose: z.number().int().min(0).max(12).default(0),
    /** KL annealing: β(t) = maxBeta·(1 − betaRate^t) per optimiser step t. */
    maxBeta: z.number().min(0).max(10).default(0.5),
    betaRate: z.number().min(0).max(1).default(0.99999),
    /** Free bits (MusicVAE's free_bits): KL up to this many bits per segment costs nothing. */
    freeBits: z.number().min(0).max(100_000).default(0),
    /** Scheduled sampling: inverse-sigmoid rate k (probability of feeding its own prediction 1 − k/(k + e^(t/k))); 0: teacher forcing only. */
    samplingRate: z.number().min(0).max(1_000_000).default(1000),
    seed: SeedSchema,
  })
  .strict()
  .refine((settings) => settings.samplingRate === 0 || settings.samplingRate >= 1, {
    message: 'The scheduled-sampling rate is 0 (off) or at least 1.',
    path: ['samplingRate'],
  });
export type VaeSettings = z.infer<typeof VaeSettingsSchema>;

/**
 * An RL-tuned model (core/models/rl, after Magenta's RL Tuner): the policy starts as a trained LSTM
 * of the studio (`startModelId`) and appends notes to episodes; REINFORCE with a baseline maximises
 * discriminator·log D(real) + in-key + resolution − repeats − kl·(log π − log p₀), while a
 * convolutional discriminator is retrained alternately to tell corpus windows from the policy's.
 */
export const RlSettingsSchema = z
  .object({
    family: z.literal('rl').default('rl'),
    representation: z.literal('note-steps').default('note-steps'),
    /** The trained LSTM the policy starts from (and is kept close to by the KL term). */
    startModelId: Id,
    /** Notes the policy appends per episode. */
    episodeLength: z.number().int().min(1, 'An episode appends at least one note.').max(1024).default(32),
    /** Notes of a corpus piece fed before each episode (0: none). */
    primerLength: z.number().int().min(0).max(256).default(8),
    /** Episodes per iteration. */
    batchSize: z.number().int().min(1).max(1024).default(16),
    /** Policy-gradient iterations at most. */
    maxIterations: z.number().int().min(1).max(100_000).default(200),
    temperature: z.number().gt(0, 'The temperature is above 0.').max(5).default(1),
    learningRate: z.number().positive('The learning rate must be above 0.').max(1).default(0.0005),
    baseline: z.enum(['batch-mean', 'moving-average']).default('batch-mean'),
    rewards: z
      .object({
        discriminator: z.number().min(0).max(100).default(1),
        inKey: z.number().min(0).max(100).default(0.1),
        repeats: z.number().min(0).max(100).default(0.5),
        maxRepeats: z.number().int().min(1).max(64).default(3),
        resolution: z.number().min(0).max(100).default(0.1),
        kl: z.number().min(0).max(100).default(0.2),
      })
      .strict()
      .default({ discriminator: 1, inKey: 0.1, repeats: 0.5, maxRepeats: 3, resolution: 0.1, kl: 0.2 }),
    /** Notes per discriminator window. */
    discriminatorWindow: z.number().int().min(2).max(1024).default(16),
    discriminatorFilters: z.number().int().min(1).max(1024).default(32),
    /** Discriminator steps per policy step, and before the first. */
    discriminatorSteps: z.number().int().min(0).max(100).default(1),
    discriminatorWarmup: z.number().int().min(0).max(10_000).default(50),
    seed: SeedSchema,
  })
  .strict();
export type RlSettings = z.infer<typeof RlSettingsSchema>;

export type NeuralSettings = LstmSettings | TransformerSettings;
/** Any model's settings; all but an HMM's carry their `family` (HMMs predate the others). */
export type ModelSettings = HmmSettings | NeuralSettings | PolyphonicSettings | VaeSettings | RlSettings;

export function isNeuralSettings(settings: ModelSettings): settings is NeuralSettings {
  return 'family' in settings && (settings.family === 'lstm' || settings.family === 'transformer');
}

export function isPolyphonicSettings(settings: ModelSettings): settings is PolyphonicSettings {
  return 'family' in settings && settings.family === 'polyphonic';
}

export function isVaeSettings(settings: ModelSettings): settings is VaeSettings {
  return 'family' in settings && settings.family === 'vae';
}

export function isRlSettings(settings: ModelSettings): settings is RlSettings {
  return 'family' in settings && settings.family === 'rl';
}

export function isHmmSettings(settings: ModelSettings): settings is HmmSettings {
  return !('family' in settings);
}

/** The settings of a model of `family`, parsed (defaults applied). */
export function parseModelSettings(family: ModelFamily, settings: unknown): ModelSettings {
  switch (family) {
    case 'hmm':
      return HmmSettingsSchema.parse(settings);
    case 'lstm':
      return LstmSettingsSchema.parse(settings);
    case 'transformer':
      return TransformerSettingsSchema.parse(settings);
    case 'polyphonic':
      return PolyphonicSettingsSchema.parse(settings);
    case 'vae':
      return VaeSettingsSchema.parse(settings);
    case 'rl':
      return RlSettingsSchema.parse(settings);
  }
}

export const ModelStatusSchema = z.enum(['training', 'trained', 'stopped', 'failed']);

export const TrainingPointSchema = z.object({
  /** The iteration (HMM) or epoch (neural models), from 1. */
  iteration: z.number().int().nonnegative(),
  /**
   * Training log-likelihood per token, in nats. Neural models: minus the epoch's mean cross-entropy
   * of what they predict as a class (event tokens; the LSTM's pitch per note).
   */
  logLikelihoodPerToken: z.number(),
  /** Neural models: the epoch's mean training loss (the weighted sum the optimiser minimises). */
  trainLoss: z.number().optional(),
  /** Neural models: the loss on the validation split after the epoch; absent without one. */
  validLoss: z.number().optional(),
  /** Neural models: held-out log-likelihood per token after the epoch (as validLogLikelihoodPerToken). */
  validLogLikelihoodPerToken: z.number().optional(),
  /** Neural models: the learning rate of the epoch. */
  learningRate: z.number().optional(),
  /**
   * Further named numbers of the iteration a family reports, for the UI to plot. VAE:
   * reconstructionAccuracy, reconstruction (nats/token), kl (nats/segment), beta, samplingProbability,
   * validNllBound (nats/segment, a bound), validNllBoundPerToken, validKl, validAccuracy,
   * validGreedyAccuracy. RL: reward and its terms (rewardDiscriminator, rewardInKey, rewardRepeats,
   * rewardResolution, rewardKl), logDReal, discriminatorAccuracyReal, discriminatorAccuracyFake,
   * discriminatorLoss, kl (nats/step to the start model), entropy, inKeyShare, gradientNorm.
   */
  metrics: z.record(z.string(), z.number()).optional(),
});
export type TrainingPoint = z.infer<typeof TrainingPointSchema>;

export const ModelSettingsSchema = z.union([HmmSettingsSchema, LstmSettingsSchema, TransformerSettingsSchema, PolyphonicSettingsSchema, VaeSettingsSchema, RlSettingsSchema]);

/** Which implementation trained a model: HMMs native or TypeScript; neural models native, wasm or cpu (tfjs). */
export const ModelEngineSchema = z.enum(['native', 'typescript', 'wasm', 'cpu']);
export type ModelEngine = z.infer<typeof ModelEngineSchema>;

export const ModelSummarySchema = z.object({
  id: Id,
  name: z.string(),
  family: ModelFamilySchema,
  corpusId: Id,
  corpusName: z.string(),
  representation: ModelRepresentationSchema,
  status: ModelStatusSchema,
  settings: ModelSettingsSchema,
  /** Completed iterations (HMM) or epochs (neural). */
  iterations: z.number().int().nonnegative(),
  history: z.array(TrainingPointSchema),
  /**
   * Held-out log-likelihood per token on the corpus's validation split (nats); null before it is known.
   * Per family: HMM per token of its representation; transformer per event token (comparable with
   * the event HMM); LSTM per note, of its pitch only (its pitch head's cross-entropy).
   */
  validLogLikelihoodPerToken: z.number().nullable(),
  trainTokens: z.number().int().nonnegative(),
  /** Which implementation trained it. */
  engine: ModelEngineSchema.nullable(),
  /** Neural models: the engine's own sentence on what runs and why not something faster. */
  engineReason: z.string().nullable().optional(),
  trainingSeconds: z.number().nonnegative(),
  sizeBytes: z.number().int().nonnegative(),
  /** The job training it now, if any. */
  jobId: Id.nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ModelSummary = z.infer<typeof ModelSummarySchema>;

const TrainName = z.string().trim().min(1).max(200).optional();

export const TrainModelInputSchema = z.discriminatedUnion('family', [
  z.object({ corpusId: Id, name: TrainName, family: z.literal('hmm'), settings: HmmSettingsSchema }).strict(),
  z.object({ corpusId: Id, name: TrainName, family: z.literal('lstm'), settings: LstmSettingsSchema }).strict(),
  z.object({ corpusId: Id, name: TrainName, family: z.literal('transformer'), settings: TransformerSettingsSchema }).strict(),
  z.object({ corpusId: Id, name: TrainName, family: z.literal('polyphonic'), settings: PolyphonicSettingsSchema }).strict(),
  z.object({ corpusId: Id, name: TrainName, family: z.literal('vae'), settings: VaeSettingsSchema }).strict(),
  /** The corpus gives the discriminator its real windows (usually the start model's corpus). */
  z.object({ corpusId: Id, name: TrainName, family: z.literal('rl'), settings: RlSettingsSchema }).strict(),
]);
export type TrainModelInput = z.infer<typeof TrainModelInputSchema>;

const Temperature = z.number().min(0).max(5);

export const GenerateInputSchema = z
  .object({
    modelId: Id,
    count: z.number().int().min(1).max(16).default(1),
    /** steps: what the model emits (grid steps, events, notes); bars: 4/4 bars. */
    length: z.object({ unit: z.enum(['steps', 'bars']), value: z.number().int().min(1).max(10_000) }).strict(),
    /**
     * One temperature for every choice, or (HMM) one each for the initial state, transitions and
     * emissions; a neural model uses the one, or the emission's, for its pitch or token.
     */
    temperature: z
      .union([Temperature, z.object({ initial: Temperature, transition: Temperature, emission: Temperature }).strict()])
      .default(1),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .optional(),
    /** Neural models: sample only among the k likeliest pitches or tokens. */
    topK: z.number().int().min(1).max(1024).optional(),
    /** Neural models: sample only among the likeliest pitches or tokens whose probabilities add up to p. */
    topP: z.number().gt(0, 'top-p is above 0.').max(1).optional(),
    /** Neural models: a clip whose notes the generated music continues. */
    primerClipId: Id.optional(),
  })
  .strict();

/** What every polyphonic use takes beside its music: how many results, how adventurous, which seed. */
const variationFields = {
  modelId: Id,
  /** Results to make; each becomes a clip. */
  count: z.number().int().min(1).max(16).default(1),
  temperature: z.number().gt(0, 'The temperature is above 0.').max(5).default(1),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .optional(),
};

/**
 * Harmonize (polyphonic models): the selected notes of one track of a saved clip are the melody (the
 * top voice); the model fills the voices under it over the melody's span. Each result is a new clip
 * holding the melody's track and the added voices on a track of their own.
 */
export const HarmonizeInputSchema = z
  .object({
    ...variationFields,
    clipId: Id,
    /** The track holding the melody, and the indices of its notes that form the melody. */
    track: z.number().int().min(0),
    notes: z.array(z.number().int().min(0)).min(1, 'Select the melody notes to harmonize.').max(100_000),
    /** Where the melody rests: let the model play anything (free) or keep silence (silent). */
    restSteps: z.enum(['free', 'silent']).default('free'),
  })
  .strict();
export type HarmonizeInput = z.infer<typeof HarmonizeInputSchema>;

/**
 * Infill (polyphonic models): regenerate a region of a saved clip (a tick span, optionally only a
 * pitch band) consistent with the music before it and, within `lookahead` grid steps, after it. Each
 * result is a new clip: the whole clip with the region replaced.
 */
export const InfillInputSchema = z
  .object({
    ...variationFields,
    clipId: Id,
    region: z
      .object({
        startTick: z.number().int().min(0),
        endTick: z.number().int().min(1),
        lowPitch: Midi7.optional(),
        highPitch: Midi7.optional(),
      })
      .strict()
      .refine((region) => region.endTick > region.startTick, { message: 'The region must end after it starts.', path: ['endTick'] })
      .refine((region) => region.lowPitch === undefined || region.highPitch === undefined || region.lowPitch <= region.highPitch, {
        message: 'The lowest pitch of the region must not be above its highest.',
        path: ['lowPitch'],
      }),
    /** Grid steps after the region the result must also explain (0: the past only). */
    lookahead: z.number().int().min(0).max(256).default(16),
  })
  .strict();
export type InfillInput = z.infer<typeof InfillInputSchema>;

/**
 * VAE: encode a segment of a saved clip (`bars` bars of the model from `startBar`) and decode it
 * again; each result is a clip (how well the model captures that music).
 */
export const ReconstructInputSchema = z
  .object({
    ...variationFields,
    clipId: Id,
    startBar: z.number().int().min(0).default(0),
  })
  .strict();
export type ReconstructInput = z.infer<typeof ReconstructInputSchema>;

/**
 * VAE: `steps` segments from one clip's segment to another's (both ends included) along the
 * spherical (slerp, default) or straight (lerp) path between their latent codes. The result is one
 * clip holding the steps one after another.
 */
export const InterpolateInputSchema = z
  .object({
    modelId: Id,
    from: z.object({ clipId: Id, startBar: z.number().int().min(0).default(0) }).strict(),
    to: z.object({ clipId: Id, startBar: z.number().int().min(0).default(0) }).strict(),
    steps: z.number().int().min(2, 'An interpolation has at least its two ends.').max(64).default(5),
    method: z.enum(['slerp', 'lerp']).default('slerp'),
    temperature: z.number().gt(0, 'The temperature is above 0.').max(5).default(0.5),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .optional(),
  })
  .strict();
export type InterpolateInput = z.infer<typeof InterpolateInputSchema>;

export const ViterbiSchema = z.object({
  /** The most likely hidden state of each token of the piece. */
  states: z.array(z.number().int().nonnegative()),
  /** Where each token starts, in the piece's ticks (for drawing under the piano roll). */
  ticks: z.array(z.number().int().nonnegative()),
});

export const SplitCountsSchema = z.object({
  seed: z.number().int(),
  train: z.number().int().nonnegative(),
  valid: z.number().int().nonnegative(),
  test: z.number().int().nonnegative(),
  /** Pieces with no split (none while the seeded split is applied after every import). */
  none: z.number().int().nonnegative(),
});
export type SplitCounts = z.infer<typeof SplitCountsSchema>;

export const MidiFileSchema = z.object({ fileName: z.string(), base64: z.string() });

/** What to play, edit or render: an imported piece or a clip. */
export const MusicSourceSchema = z.union([z.object({ pieceId: Id }).strict(), z.object({ clipId: Id }).strict()]);
export type MusicSource = z.infer<typeof MusicSourceSchema>;

export const WavFileSchema = z.object({ fileName: z.string(), base64: z.string() });

// ---- Comparison --------------------------------------------------------------------------------

export const ComparisonStatusSchema = z.enum(['running', 'done', 'failed', 'cancelled']);

export const CreateComparisonInputSchema = z
  .object({
    corpusId: Id,
    modelIds: z.array(Id).min(1, 'Choose at least one model.').max(8, 'Compare at most 8 models at once.'),
    /** Pieces generated per model, all with the same length and seed policy. */
    samplesPerModel: z.number().int().min(1).max(64).default(8),
    length: z.object({ unit: z.enum(['steps', 'bars']), value: z.number().int().min(1).max(10_000) }).strict().default({ unit: 'bars', value: 8 }),
    /** Sample k of every model uses seed + k, so the models see the same seeds. */
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(1),
    /** The corpus split the models are scored on and their samples compared with. */
    referenceSplit: SplitSchema.default('test'),
  })
  .strict();

export const ComparisonSummarySchema = z.object({
  id: Id,
  name: z.string(),
  corpusId: Id,
  corpusName: z.string(),
  modelIds: z.array(Id),
  status: ComparisonStatusSchema,
  jobId: Id.nullable(),
  samplesPerModel: z.number().int().positive(),
  referenceSplit: SplitSchema,
  error: z.string().nullable(),
  createdAt: z.string(),
});
export type ComparisonSummary = z.infer<typeof ComparisonSummarySchema>;

export const ModelComparisonSchema = z.object({
  modelId: Id,
  modelName: z.string(),
  family: z.string(),
  representation: z.string(),
  /**
   * Held-out negative log-likelihood per token (nats) on the reference split, under the model's own
   * representation; null where the model defines no likelihood. For a VAE this is a bound (ELBO).
   */
  nllPerToken: z.number().nullable(),
  perplexity: z.number().nullable(),
  nllIsBound: z.boolean(),
  /** Whether the likelihood is over discrete tokens (perplexity meaningful) or densities (note HMM). */
  discrete: z.boolean(),
  trainingSeconds: z.number().nonnegative(),
  sizeBytes: z.number().int().nonnegative(),
  history: z.array(TrainingPointSchema),
  /** The generated samples, stored as clips (playable, exportable). */
  clipIds: z.array(Id),
  musPy: MusPySetMetricsSchema,
  /** Yang & Lerch: the reference split against this model's samples. */
  relative: ComparisonReportSchema,
  statistics: CorpusStatisticsSchema,
});
export type ModelComparison = z.infer<typeof ModelComparisonSchema>;

export const ComparisonResultsSchema = z.object({
  reference: z.object({
    split: SplitSchema,
    pieces: z.number().int().nonnegative(),
    musPy: MusPySetMetricsSchema,
    statistics: CorpusStatisticsSchema,
    /** A few reference pieces for the rows of small piano rolls. */
    pieceIds: z.array(Id),
  }),
  models: z.array(ModelComparisonSchema),
});

export const ComparisonSchema = ComparisonSummarySchema.extend({
  results: ComparisonResultsSchema.nullable(),
  /** Blind A/B listening: how often each model's sample was preferred. */
  preferences: z.array(z.object({ modelId: Id, wins: z.number().int().nonnegative(), losses: z.number().int().nonnegative(), ties: z.number().int().nonnegative() })),
});
export type Comparison = z.infer<typeof ComparisonSchema>;

export const PreferenceInputSchema = z
  .object({
    comparisonId: Id,
    clipA: Id,
    clipB: Id,
    preferred: z.enum(['a', 'b', 'same']),
    /** True when the composer did not know which model made which sample. */
    blind: z.boolean(),
  })
  .strict();
