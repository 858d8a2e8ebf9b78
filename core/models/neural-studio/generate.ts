/**
 * Music from a trained neural model, one variation at a time.
 *
 * LSTM: the stepper runs one note at a time with its state carried. It is first fed a primer: the
 * composer's clip (the clip's notes start the result, the continuation follows), or else the
 * opening `windowLength` notes of a training piece (the seeds' way to start; left out of the result).
 * Then each note: pitch drawn from the pitch logits (temperature, top-k, top-p), step and duration
 * as predicted (at least 0 and 20 ms), velocity as predicted (or 80 without a velocity head).
 *
 * Transformer: tokens drawn one at a time after [BOS, primer tokens…] (the last contextLength are
 * attended to), decoded as events at the model's resolution.
 *
 * Length: 'steps' counts what the model emits (notes, event tokens); 'bars' is 4/4 bars of the
 * piece's tempo after the primer: sampling stops once they are filled, and notes are cut there.
 */
import { DEFAULT_DECODE_PPQ, EVENT_TIME_SHIFT, EVENT_VELOCITY, decodeEvents, decodeNoteSteps, type NoteStepRow } from '../../music/representations';
import type { Piece } from '../../music/types';
import { cutAt, QUARTERS_PER_BAR, type GenerationLength } from '../hmm-studio/generate';
import { beginToken, type EventTransformer } from '../neural/event-transformer';
import type { NoteStepper } from '../neural/note-step-lstm';
import { STREAM, stream } from '../neural/random-streams';
import { sampleLogits, type SamplingOptions } from '../neural/sampling';

/** The most notes or tokens sampled to fill a length in bars. */
export const MAX_NEURAL_SAMPLES = 100_000;
/** Velocity of notes from a model without a velocity head. */
export const DEFAULT_GENERATED_VELOCITY = 80;
/** Shortest generated note (seconds): a predicted duration of 0 would be silent. */
export const MIN_GENERATED_DURATION = 0.02;

export const NEURAL_TRACK_NAME = { lstm: 'LSTM', transformer: 'Transformer' } as const;

export interface NeuralGenerationRequest extends SamplingOptions {
  readonly length: GenerationLength;
  readonly seed: number;
}

export interface PieceOptions {
  readonly name: string;
  readonly tempo: number;
  readonly ppq?: number;
}

/** What the LSTM is fed first: a clip kept in the result, or a training piece's opening left out of it. */
export interface LstmPrimer {
  readonly rows: readonly NoteStepRow[];
  readonly keep: boolean;
}

/** Notes for the stepper: velocity in 0..1. */
function fed(row: NoteStepRow): { pitch: number; step: number; duration: number; velocity: number } {
  return { pitch: row.pitch, step: row.step, duration: row.duration, velocity: row.velocity / 127 };
}

export interface LstmGenerationOptions {
  readonly hasVelocity: boolean;
  /** Called after each note with how many are done (progress). */
  readonly onNote?: (count: number) => void;
}

/** The continuation's notes (seconds), fed back one by one. */
export function sampleLstmNotes(stepper: NoteStepper, primer: LstmPrimer, request: NeuralGenerationRequest, tempo: number, options: LstmGenerationOptions): NoteStepRow[] {
  const random = stream(request.seed, STREAM.sample);
  stepper.reset();
  for (const row of primer.rows) stepper.feed(fed(row));
  const notes: NoteStepRow[] = [];
  const secondsPerBar = (QUARTERS_PER_BAR * 60) / tempo;
  const limit = request.length.unit === 'steps' ? request.length.value : MAX_NEURAL_SAMPLES;
  const endSeconds = request.length.unit === 'bars' ? request.length.value * secondsPerBar : Infinity;
  let elapsed = 0;
  let lastVelocity = primer.rows.at(-1)?.velocity ?? DEFAULT_GENERATED_VELOCITY;
  while (notes.length < limit) {
    const prediction = stepper.predict();
    const pitch = sampleLogits(prediction.pitchLogits, request, random);
    const step = notes.length === 0 && !primer.keep ? 0 : Math.max(0, prediction.step);
    const duration = Math.max(MIN_GENERATED_DURATION, prediction.duration);
    const velocity = options.hasVelocity ? Math.min(127, Math.max(1, Math.round(prediction.velocity * 127))) : lastVelocity;
    lastVelocity = velocity;
    elapsed += step;
    if (elapsed >= endSeconds) break;
    const row = { pitch, step, duration, velocity };
    notes.push(row);
    options.onNote?.(notes.length);
    stepper.feed(fed(row));
  }
  return notes;
}

export function lstmPiece(primer: LstmPrimer, continuation: readonly NoteStepRow[], request: Pick<NeuralGenerationRequest, 'length'>, options: PieceOptions): Piece {
  const ppq = options.ppq ?? DEFAULT_DECODE_PPQ;
  const rows = primer.keep ? [...primer.rows, ...continuation] : [...continuation];
  const piece = decodeNoteSteps(rows, {
    name: options.name,
    ppq,
    tempos: [{ ticks: 0, bpm: options.tempo }],
    trackName: NEURAL_TRACK_NAME.lstm,
    program: 0,
    channel: 0,
  });
  if (request.length.unit !== 'bars') return piece;
  // The continuation starts at the primer's last onset (its notes' steps are counted from there).
  const primerSeconds = primer.keep ? primer.rows.reduce((sum, row) => sum + row.step, 0) : 0;
  const startTicks = Math.round((primerSeconds * options.tempo * ppq) / 60);
  return cutAt(piece, startTicks + request.length.value * QUARTERS_PER_BAR * ppq);
}

/** How far time-shift tokens move, in steps. */
function shiftSteps(token: number): number {
  return token >= EVENT_TIME_SHIFT && token < EVENT_VELOCITY ? token - EVENT_TIME_SHIFT + 1 : 0;
}

export interface TransformerGenerationOptions {
  readonly resolution: number;
  readonly onToken?: (count: number) => void;
}

/** The continuation's event tokens after [BOS, primer…]. */
export function sampleTransformerTokens(model: EventTransformer, primer: readonly number[], request: NeuralGenerationRequest, options: TransformerGenerationOptions): number[] {
  const random = stream(request.seed, STREAM.sample);
  const context = [beginToken(model.config), ...primer];
  const generated: number[] = [];
  const limit = request.length.unit === 'steps' ? request.length.value : MAX_NEURAL_SAMPLES;
  const endSteps = request.length.unit === 'bars' ? request.length.value * QUARTERS_PER_BAR * options.resolution : Infinity;
  let steps = 0;
  while (generated.length < limit && steps < endSteps) {
    const window = Int32Array.from(context.slice(-model.config.contextLength));
    const token = sampleLogits(model.nextLogits(window), request, random);
    generated.push(token);
    context.push(token);
    steps += shiftSteps(token);
    options.onToken?.(generated.length);
  }
  return generated;
}

export function transformerPiece(primer: readonly number[], continuation: readonly number[], request: Pick<NeuralGenerationRequest, 'length'>, resolution: number, options: PieceOptions): Piece {
  const ppq = options.ppq ?? DEFAULT_DECODE_PPQ;
  const piece = decodeEvents([...primer, ...continuation], {
    resolution,
    name: options.name,
    ppq,
    tempos: [{ ticks: 0, bpm: options.tempo }],
    trackName: NEURAL_TRACK_NAME.transformer,
    program: 0,
    channel: 0,
  });
  if (request.length.unit !== 'bars') return piece;
  let primerSteps = 0;
  for (const token of primer) primerSteps += shiftSteps(token);
  const stepTicks = ppq / resolution;
  return cutAt(piece, Math.round((primerSteps + request.length.value * QUARTERS_PER_BAR * resolution) * stepTicks));
}

/** The sampling options of a generate request for a neural model. */
export function samplingOf(temperature: number | { readonly emission: number }, topK?: number, topP?: number): SamplingOptions {
  return { temperature: typeof temperature === 'number' ? temperature : temperature.emission, ...(topK === undefined ? {} : { topK }), ...(topP === undefined ? {} : { topP }) };
}
