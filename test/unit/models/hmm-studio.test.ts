// The glue between pieces and HMMs (core/models/hmm-studio): sequences, decoding, lengths, stepwise training.
import { describe, expect, it } from 'vitest';
import { HmmSettingsSchema, type HmmSettings } from '../../../core/ipc/schemas';
import { trainCategoricalHmm } from '../../../core/models/hmm/categorical-train';
import { trainNoteHmm } from '../../../core/models/hmm/note-hmm';
import {
  barsToSteps,
  cutAt,
  decodeSample,
  defaultModelName,
  encodePieceFor,
  generatePiece,
  heldOutPerToken,
  loadSavedHmm,
  sequencesFor,
  trainStepwise,
  type HmmSequences,
  type SerializedHmm,
} from '../../../core/models/hmm-studio';
import { PITCH_HOLD } from '../../../core/music/representations';
import type { Piece } from '../../../core/music/types';
import { makePiece } from '../music/support';

const settingsOf = (overrides: Partial<HmmSettings> & Pick<HmmSettings, 'representation' | 'states'>): HmmSettings => HmmSettingsSchema.parse(overrides);

/** A monophonic line on the quarter-note grid at 480 ppq: [pitch, quarters] pairs, velocity 100. */
function line(name: string, notes: readonly (readonly [number, number])[], velocity = 100): Piece {
  let ticks = 0;
  const specs = notes.map(([pitch, quarters]) => {
    const note = { ticks, durationTicks: quarters * 480, pitch, velocity };
    ticks += quarters * 480;
    return note;
  });
  return makePiece({ name, tracks: [{ notes: specs }] });
}

const scale = line('scale', [
  [60, 1],
  [62, 1],
  [64, 2],
  [65, 1],
  [67, 1],
  [65, 1],
  [64, 1],
  [62, 1],
  [60, 2],
]);
const tune = line('tune', [
  [67, 1],
  [69, 1],
  [71, 1],
  [72, 2],
  [71, 1],
  [69, 1],
  [67, 2],
]);

function notesOf(piece: Piece): number[][] {
  return piece.tracks.flatMap((track) => track.notes.map((note) => [note.ticks, note.pitch, note.durationTicks, note.velocity]));
}

describe('sequencesFor', () => {
  it('encodes the pitch representation per piece at the settings’ resolution (130 symbols)', () => {
    const sequences = sequencesFor([line('a', [[60, 1], [62, 2]]), line('b', [[72, 1]])], settingsOf({ representation: 'pitch', states: 2, resolution: 2 }));
    if (sequences.kind !== 'categorical') throw new Error('expected tokens');
    expect(sequences.nSymbols).toBe(130);
    expect(Array.from(sequences.data.symbols)).toEqual([60, PITCH_HOLD, 62, PITCH_HOLD, PITCH_HOLD, PITCH_HOLD, 72, PITCH_HOLD]);
    expect(Array.from(sequences.data.offsets)).toEqual([0, 6, 8]);
    expect(sequences.pieces).toBe(2);
  });

  it('reads the highest voice across the non-drum tracks for pitch, and skips drum-only pieces by name', () => {
    const chords = makePiece({
      name: 'chords',
      tracks: [
        { notes: [{ ticks: 0, durationTicks: 480, pitch: 60 }] },
        { notes: [{ ticks: 0, durationTicks: 240, pitch: 67 }] },
        { notes: [{ ticks: 0, durationTicks: 480, pitch: 90 }], isDrum: true },
      ],
    });
    const drums = makePiece({ name: 'drums', tracks: [{ notes: [{ ticks: 0, durationTicks: 120, pitch: 36 }], isDrum: true }] });
    const sequences = sequencesFor([chords, drums], settingsOf({ representation: 'pitch', states: 2, resolution: 4 }));
    if (sequences.kind !== 'categorical') throw new Error('expected tokens');
    // 67 for two 16ths, then 60 is struck again (a hold can only continue the note before).
    expect(Array.from(sequences.data.symbols)).toEqual([67, PITCH_HOLD, 60, PITCH_HOLD]);
    expect(sequences.skipped).toEqual(['drums']);
  });

  it('encodes events (388 symbols) and notes (pitch + 3 features)', () => {
    const events = sequencesFor([scale, tune], settingsOf({ representation: 'event', states: 2 }));
    if (events.kind !== 'categorical') throw new Error('expected tokens');
    expect(events.nSymbols).toBe(388);
    expect(events.data.offsets).toHaveLength(3);
    expect(Math.max(...events.data.symbols)).toBeLessThan(388);
    const notes = sequencesFor([scale, tune], settingsOf({ representation: 'note', states: 2 }));
    if (notes.kind !== 'note') throw new Error('expected notes');
    expect(Array.from(notes.data.offsets)).toEqual([0, 9, 16]);
    expect(notes.data.nFeatures).toBe(3);
    expect(Array.from(notes.data.pitches.subarray(0, 3))).toEqual([60, 62, 64]);
  });

  it('says clearly when a split has no pieces, or no notes', () => {
    const settings = settingsOf({ representation: 'pitch', states: 2 });
    expect(() => sequencesFor([], settings, { corpusName: 'Bach', split: 'train' })).toThrow('The corpus “Bach” has no pieces in its train split.');
    expect(() => sequencesFor([], settings)).toThrow('The corpus has no pieces in its train split.');
    const drums = makePiece({ name: 'drums', tracks: [{ notes: [{ ticks: 0, durationTicks: 120, pitch: 36 }], isDrum: true }] });
    expect(() => sequencesFor([drums], settings, { corpusName: 'Kit', split: 'valid' })).toThrow(/“Kit” has no notes to learn from in its valid split.*drums only/);
  });
});

describe('decodeSample', () => {
  const decodeOptions = { name: 'again', ppq: 480, tempo: 100 };

  it.each(['pitch', 'event', 'note'] as const)('gives back the notes of a piece from its %s sequence, on one "HMM" track', (representation) => {
    const settings = settingsOf({ representation, states: 2 });
    const sequences = sequencesFor([scale], settings);
    const piece =
      sequences.kind === 'note'
        ? decodeSample({ kind: 'notes', pitches: sequences.data.pitches, features: sequences.data.features }, settings, decodeOptions)
        : decodeSample({ kind: 'tokens', tokens: sequences.data.symbols }, settings, decodeOptions);
    // Pitch keeps no velocity (64 on decode); event keeps it to its bin (100 is a bin edge); note keeps it.
    const velocity = representation === 'pitch' ? 64 : 100;
    expect(notesOf(piece)).toEqual(notesOf(scale).map(([ticks, pitch, duration]) => [ticks, pitch, duration, velocity]));
    expect(piece.name).toBe('again');
    expect(piece.tracks.map((track) => [track.name, track.program, track.channel, track.isDrum])).toEqual([['HMM', 0, 0, false]]);
    expect(piece.tempos).toEqual([{ ticks: 0, bpm: 100 }]);
    expect(piece.duration).toBeCloseTo((11 * 60) / 100, 9);
  });

  it('refuses a sample of the wrong kind', () => {
    expect(() => decodeSample({ kind: 'tokens', tokens: [60] }, settingsOf({ representation: 'note', states: 2 }), { name: 'x' })).toThrow(/notes, not tokens/);
  });
});

describe('tokens under a piece (for Viterbi)', () => {
  it('gives the start tick of every pitch step and every event', () => {
    const pitch = encodePieceFor(scale, { representation: 'pitch', resolution: 4 });
    expect(pitch.ticks.slice(0, 5)).toEqual([0, 120, 240, 360, 480]);
    const event = encodePieceFor(line('two', [[60, 1], [62, 1]]), { representation: 'event', resolution: 4 });
    if (event.kind !== 'categorical') throw new Error('expected tokens');
    // velocity, on 60, shift 4, off 60, on 62, shift 4, off 62
    expect(Array.from(event.symbols)).toEqual([356 + 25, 60, 259, 128 + 60, 62, 259, 128 + 62]);
    expect(event.ticks).toEqual([0, 0, 0, 480, 480, 480, 960]);
    const note = encodePieceFor(tune, { representation: 'note', resolution: 4 });
    expect(note.ticks).toEqual([0, 480, 960, 1440, 2400, 2880, 3360]);
  });
});

describe('lengths', () => {
  it('counts 4/4 bars in grid steps', () => {
    expect(barsToSteps(1, 4)).toBe(16);
    expect(barsToSteps(3, 12)).toBe(144);
  });

  it('cuts notes at the end of the last bar', () => {
    const cut = cutAt(scale, 1000);
    expect(notesOf(cut)).toEqual([
      [0, 60, 480, 100],
      [480, 62, 480, 100],
      [960, 64, 40, 100],
    ]);
    expect(cut.durationTicks).toBe(1000);
  });
});

function trained(representation: HmmSettings['representation'], iterations = 4): { sequences: HmmSequences; settings: HmmSettings; state: SerializedHmm } {
  const settings = settingsOf({ representation, states: 3, maxIterations: iterations, tolerance: 1e-12, seed: 5 });
  const sequences = sequencesFor([scale, tune, scale, tune], settings);
  const result = trainStepwise(sequences, settings);
  return { sequences, settings, state: result.state! };
}

describe('generatePiece', () => {
  it('samples a pitch piece of exactly the bars asked for, the same for the same seed', () => {
    const { settings, state } = trained('pitch');
    const model = loadSavedHmm(state, settings);
    const request = { length: { unit: 'bars' as const, value: 2 }, temperature: 1, seed: 11 };
    const piece = generatePiece(model, settings, request, { name: 'g' });
    expect(piece.durationTicks).toBeLessThanOrEqual(2 * 4 * 480);
    expect(piece.tracks[0]!.notes.length).toBeGreaterThan(0);
    expect(notesOf(generatePiece(model, settings, request, { name: 'g' }))).toEqual(notesOf(piece));
    expect(notesOf(generatePiece(model, settings, { ...request, seed: 12 }, { name: 'g' }))).not.toEqual(notesOf(piece));
  });

  it.each(['event', 'note'] as const)('fills the bars asked for with %s samples and cuts at their end', (representation) => {
    const { settings, state } = trained(representation);
    const model = loadSavedHmm(state, settings);
    const piece = generatePiece(model, settings, { length: { unit: 'bars', value: 8 }, seed: 3 }, { name: 'g', ppq: 480 });
    const end = 8 * 4 * 480;
    const notes = piece.tracks[0]!.notes;
    expect(notes.length).toBeGreaterThan(0);
    for (const note of notes) expect(note.ticks + note.durationTicks).toBeLessThanOrEqual(end);
    // Filled: the music reaches into the last bar.
    expect(Math.max(...notes.map((note) => note.ticks))).toBeGreaterThanOrEqual(end - 4 * 480);
  });

  it('counts notes for the note representation when the unit is steps', () => {
    const { settings, state } = trained('note');
    const piece = generatePiece(loadSavedHmm(state, settings), settings, { length: { unit: 'steps', value: 25 }, seed: 1 }, { name: 'g' });
    expect(piece.tracks[0]!.notes).toHaveLength(25);
  });
});

describe('trainStepwise', () => {
  it('gives exactly the parameters of one uninterrupted run, with a checkpoint per iteration', () => {
    const settings = settingsOf({ representation: 'pitch', states: 4, maxIterations: 6, tolerance: 1e-12, seed: 3 });
    const sequences = sequencesFor([scale, tune], settings);
    if (sequences.kind !== 'categorical') throw new Error('expected tokens');
    const iterations: number[] = [];
    const stepwise = trainStepwise(sequences, settings, { onCheckpoint: ({ record }) => iterations.push(record.iteration) });
    expect(iterations).toEqual([1, 2, 3, 4, 5, 6]);
    const straight = trainCategoricalHmm(sequences.data, { nStates: 4, nSymbols: 130, maxIterations: 6, tolerance: 1e-12, seed: 3, init: 'kmeans' });
    if (stepwise.model?.kind !== 'categorical') throw new Error('expected a categorical model');
    expect(Array.from(stepwise.model.params.emission)).toEqual(Array.from(straight.params.emission));
    expect(Array.from(stepwise.model.params.transition)).toEqual(Array.from(straight.params.transition));
    expect(stepwise.history.map((record) => record.logLikelihood)).toEqual(straight.history.map((record) => record.logLikelihood));
  });

  it.each(['pitch', 'event', 'note'] as const)('%s: stopped after 2 iterations and resumed equals straight through', (representation) => {
    const settings = settingsOf({ representation, states: 3, maxIterations: 5, tolerance: 1e-12, seed: 9 });
    const sequences = sequencesFor([scale, tune], settings);
    const straight = trainStepwise(sequences, settings);
    let checkpoints = 0;
    const stopped = trainStepwise(sequences, settings, { shouldStop: () => checkpoints >= 2, onCheckpoint: () => checkpoints++ });
    expect(stopped.stopReason).toBe('stopped');
    expect(stopped.iterations).toBe(2);
    const resumed = trainStepwise(sequences, settings, { resume: JSON.parse(JSON.stringify(stopped.state)) });
    // Up to 5 iterations (a tiny note model may converge sooner: then both runs stop at the same one).
    expect(resumed.iterations).toBeGreaterThan(2);
    expect(resumed.iterations).toBe(straight.iterations);
    expect(resumed.history.map((record) => record.iteration)).toEqual(straight.history.map((record) => record.iteration));
    const strip = (state: SerializedHmm | null) => JSON.stringify({ ...state, history: state?.history.map(({ seconds: _seconds, ...rest }) => rest) });
    expect(strip(resumed.state)).toEqual(strip(straight.state));
  });

  it('matches the core note trainer and scores held-out data', () => {
    const settings = settingsOf({ representation: 'note', states: 2, maxIterations: 3, tolerance: 1e-12, seed: 2, init: 'random' });
    const sequences = sequencesFor([scale, tune], settings);
    if (sequences.kind !== 'note') throw new Error('expected notes');
    const stepwise = trainStepwise(sequences, settings);
    const straight = trainNoteHmm(sequences.data, { nStates: 2, nPitches: 128, maxIterations: 3, tolerance: 1e-12, seed: 2, init: 'random' });
    if (stepwise.model?.kind !== 'note') throw new Error('expected a note model');
    expect(Array.from(stepwise.model.params.means)).toEqual(Array.from(straight.params.means));
    const heldOut = heldOutPerToken(stepwise.model, sequencesFor([line('other', [[62, 1], [64, 1], [65, 2]])], settings));
    expect(Number.isFinite(heldOut)).toBe(true);
  });

  it('stops on convergence and refuses settings of another representation', () => {
    const settings = settingsOf({ representation: 'pitch', states: 2, maxIterations: 500, tolerance: 1e-3, seed: 1 });
    const sequences = sequencesFor([scale, tune], settings);
    const result = trainStepwise(sequences, settings);
    expect(result.stopReason).toBe('converged');
    expect(result.iterations).toBeLessThan(500);
    expect(() => trainStepwise(sequences, { ...settings, representation: 'event' })).toThrow(/pitch representation/);
  });
});

describe('names', () => {
  it('names a model by its size and representation', () => {
    expect(defaultModelName({ states: 16, representation: 'pitch' })).toBe('HMM 16 states · pitch');
    expect(defaultModelName({ states: 1, representation: 'note' })).toBe('HMM 1 state · note');
  });
});
