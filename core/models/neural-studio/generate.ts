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
import { DEFAULT_DECODE_PPQ, EVENT_TIME_SHIFT, EVENT_VELOCITY, decodeEvents, decodeNoteSteps, type DecodeOptions, type NoteStepRow } from '../../music/representations';
import type { Note, Piece } from '../../music/types';
import { cutAt, QUARTERS_PER_BAR, type GenerationLength } from '../hmm-studio/generate';
import { beginToken, type EventTransformer } from '../neural/event-transformer';
import type { NoteStepper } from '../neural/note-step-lstm';
import { STREAM, stream } from '../neural/random-streams';
import { sampleLogits, type SamplingOptions } from '../neural/sampling';
import type { GeneratedPartData } from './jobs';

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
  /** Called after each note with how many are done and the notes so far (the same array, growing: read, don't keep). */
  readonly onNote?: (count: number, notes: readonly NoteStepRow[]) => void;
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
    options.onNote?.(notes.length, notes);
    stepper.feed(fed(row));
  }
  return notes;
}

function lstmDecodeOptions(options: PieceOptions): DecodeOptions {
  return { name: options.name, ppq: options.ppq ?? DEFAULT_DECODE_PPQ, tempos: [{ ticks: 0, bpm: options.tempo }], trackName: NEURAL_TRACK_NAME.lstm, program: 0, channel: 0 };
}

export function lstmPiece(primer: LstmPrimer, continuation: readonly NoteStepRow[], request: Pick<NeuralGenerationRequest, 'length'>, options: PieceOptions): Piece {
  const ppq = options.ppq ?? DEFAULT_DECODE_PPQ;
  const rows = primer.keep ? [...primer.rows, ...continuation] : [...continuation];
  const piece = decodeNoteSteps(rows, lstmDecodeOptions(options));
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
  /** Called after each token with how many are done and the tokens so far (the same array, growing: read, don't keep). */
  readonly onToken?: (count: number, tokens: readonly number[]) => void;
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
    options.onToken?.(generated.length, generated);
  }
  return generated;
}

/**
 * The transformer's music. `danglingNotes`: notes still sounding at the end are closed there (the
 * finished piece) or left out (music so far while streaming: a held note would otherwise change,
 * and be sent again, with every part).
 */
export function transformerPiece(
  primer: readonly number[],
  continuation: readonly number[],
  request: Pick<NeuralGenerationRequest, 'length'>,
  resolution: number,
  options: PieceOptions,
  danglingNotes: 'close' | 'drop' = 'close',
): Piece {
  const ppq = options.ppq ?? DEFAULT_DECODE_PPQ;
  const piece = decodeEvents([...primer, ...continuation], {
    resolution,
    danglingNotes,
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

// ---- Streaming a variation to main while it is sampled ------------------------------------------

/** A part is sent every this many samples (notes or event tokens)… */
export const STREAM_PART_SAMPLES = 64;
/** …or sooner, once this long has passed since the last with something new: never once per note. */
export const STREAM_PART_INTERVAL_MS = 100;

/** Says when the next part of a variation is due. The clock is passed in (core has no timers). */
export class PartPacer {
  private lastCount = 0;
  private lastAt: number;

  constructor(
    private readonly now: () => number,
    private readonly samples = STREAM_PART_SAMPLES,
    private readonly intervalMs = STREAM_PART_INTERVAL_MS,
  ) {
    this.lastAt = now();
  }

  /** True (and counted as sent) when `count` samples are done and a part is due. */
  due(count: number): boolean {
    if (count <= this.lastCount) return false;
    if (count - this.lastCount < this.samples && this.now() - this.lastAt < this.intervalMs) return false;
    this.lastCount = count;
    this.lastAt = this.now();
    return true;
  }
}

/** The order decoded notes are in (buildPiece's): with it, a sorted list of notes is unique. */
function noteOrder(a: Note, b: Note): number {
  return a.ticks - b.ticks || a.pitch - b.pitch || a.durationTicks - b.durationTicks || a.velocity - b.velocity;
}

function sameNote(a: Note, b: Note): boolean {
  return a.ticks === b.ticks && a.durationTicks === b.durationTicks && a.pitch === b.pitch && a.velocity === b.velocity;
}

function mergeSorted(left: readonly Note[], right: readonly Note[]): Note[] {
  const merged: Note[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) merged.push(noteOrder(left[i]!, right[j]!) <= 0 ? left[i++]! : right[j++]!);
  while (i < left.length) merged.push(left[i++]!);
  while (j < right.length) merged.push(right[j++]!);
  return merged;
}

/** The piece's settings without its notes: what main creates the clip from. */
function headOf(piece: Piece): Piece {
  return { ...piece, tracks: piece.tracks.map((track) => ({ ...track, notes: [] })) };
}

/**
 * What main has been sent of one variation (its notes, in order), and the parts that bring main up
 * to date: only what differs from what main has travels, so every message stays small.
 */
export class PieceStream {
  private readonly sent: Note[] = [];
  private started = false;

  constructor(
    private readonly index: number,
    private readonly seed: number,
  ) {}

  /** How many notes main has. */
  get sentNotes(): number {
    return this.sent.length;
  }

  /**
   * The part for `piece`, the whole music so far (or the finished variation): main keeps the notes
   * it has up to the first that differs and gets the rest. O(notes): for the finished piece, and for
   * the transformer (whose open notes still grow).
   */
  partFor(piece: Piece, final: boolean): GeneratedPartData | null {
    const notes = piece.tracks[0]?.notes ?? [];
    const limit = Math.min(this.sent.length, notes.length);
    let keep = 0;
    while (keep < limit && sameNote(this.sent[keep]!, notes[keep]!)) keep++;
    return this.part(piece, keep, notes.slice(keep), final);
  }

  /**
   * The part for notes that start at or after those sent (`fresh`: a piece holding only them, sorted):
   * the last sent notes that sort after the first fresh one (a chord split between parts) are resent
   * in order with them. O(new notes).
   */
  partAdding(fresh: Piece, final: boolean): GeneratedPartData | null {
    const notes = fresh.tracks[0]?.notes ?? [];
    let keep = this.sent.length;
    if (notes.length > 0) while (keep > 0 && noteOrder(this.sent[keep - 1]!, notes[0]!) > 0) keep--;
    return this.part(fresh, keep, keep === this.sent.length ? [...notes] : mergeSorted(this.sent.slice(keep), notes), final);
  }

  private part(piece: Piece, keep: number, notes: readonly Note[], final: boolean): GeneratedPartData | null {
    // Nothing new: no message (but the end always is one, and the first part has notes to play).
    if (!final && keep === this.sent.length && notes.length === 0) return null;
    this.sent.length = keep;
    for (const note of notes) this.sent.push(note);
    const first = !this.started;
    this.started = true;
    return { type: 'part', index: this.index, seed: this.seed, ...(first ? { head: headOf(piece) } : {}), keep, notes, final };
  }
}

/**
 * Decodes an LSTM variation's notes as they are sampled, each row once, to exactly the ticks the
 * whole decode (lstmPiece) gives: decodeNoteSteps counts onsets from 0, so the first new row's step
 * carries the seconds already decoded, summed in the same order.
 */
export class LstmNoteStream {
  private decodedRows = 0;
  private primerDecoded = false;
  private seconds = 0;

  constructor(
    private readonly primer: LstmPrimer,
    private readonly options: PieceOptions,
  ) {}

  /** A one-track piece with the notes of the rows not decoded before (and the kept primer's, the first time). */
  fresh(continuation: readonly NoteStepRow[]): Piece {
    const rows: NoteStepRow[] = [];
    if (!this.primerDecoded) {
      if (this.primer.keep) rows.push(...this.primer.rows);
      this.primerDecoded = true;
    }
    for (let k = this.decodedRows; k < continuation.length; k++) rows.push(continuation[k]!);
    this.decodedRows = continuation.length;
    if (rows.length > 0) {
      const first = rows[0]!;
      rows[0] = { ...first, step: this.seconds + first.step };
      this.seconds = rows[0].step;
      for (let k = 1; k < rows.length; k++) this.seconds += rows[k]!.step;
    }
    return decodeNoteSteps(rows, lstmDecodeOptions(this.options));
  }
}
