/**
 * Between the studio's clips and the polyphonic uses' piano rolls (binary, at the model's
 * resolution), both ways. Each `prepare…` checks the composer's selection against the clip and the
 * model (a PolyphonicError says what is wrong), and returns the roll the use reads and a `compose`
 * that turns one result roll back into a clip's music:
 *
 * - harmonize: the melody is the selected notes of one track, from the step of the first to the end
 *   of the last; a result is the melody's track as it was plus a new track with the added voices
 *   (the cells the model filled in below the melody), at the melody's place in the clip.
 * - infill: the roll is every (non-drum) track of the clip merged; a result is the whole clip with
 *   the region replaced: notes outside the region stay as they were (a note crossing the region's
 *   edge keeps its parts outside), the new notes go on the track that held most of the region's
 *   notes (or the first melodic track, or a new one).
 * - continue: the primer is the whole clip (optional); a result, as the neural families make it,
 *   starts with the primer (its tracks as they were) and goes on with the continuation, on a track
 *   of its own after the primer's last sounding step. Without a primer a result is one track.
 *
 * Ticks become steps as the representations round them: round(ticks × resolution / ppq).
 */
import { decodePianoRoll, encodePianoRoll, PIANO_ROLL_PITCHES, type PianoRoll } from '../../music/representations/pianoroll';
import { isDrumTrack } from '../../music/representations/common';
import { normalizeMusic } from '../../music/normalize';
import type { Note, Piece, TempoChange, Track } from '../../music/types';
import { PolyphonicError } from './errors';
import { formatRange, framesFromPianoRoll, type PitchRange } from './frames';
import type { InfillRegion } from './uses';

/** What the uses need to know of the model. */
export interface ModelFrame {
  readonly range: PitchRange;
  readonly resolution: number;
}

export interface PreparedUse<Request> {
  /** What the worker's use reads. */
  readonly request: Request;
  /** A result roll (as the use returns it) as a clip's music. */
  compose(roll: PianoRoll): Piece;
}

const DEFAULT_VELOCITY = 80;

function toStep(ticks: number, ppq: number, resolution: number): number {
  return Math.round((ticks * resolution) / ppq);
}

function toTicks(step: number, ppq: number, resolution: number): number {
  return Math.round((step * ppq) / resolution);
}

function medianVelocity(notes: readonly Note[]): number {
  if (notes.length === 0) return DEFAULT_VELOCITY;
  const sorted = notes.map((note) => note.velocity).sort((a, b) => a - b);
  return Math.max(1, Math.min(127, sorted[Math.floor(sorted.length / 2)]!));
}

function emptyRoll(steps: number, resolution: number): PianoRoll {
  return { steps, resolution, mode: 'binary', data: new Uint8Array(steps * PIANO_ROLL_PITCHES), onsets: null };
}

/** The roll's steps [from, to) (padded with silence past its end). */
function sliceRoll(roll: PianoRoll, from: number, to: number): PianoRoll {
  const out = emptyRoll(to - from, roll.resolution);
  const available = Math.max(0, Math.min(to, roll.steps) - from);
  out.data.set(roll.data.subarray(from * PIANO_ROLL_PITCHES, (from + available) * PIANO_ROLL_PITCHES));
  return out;
}

/** The notes of a binary roll, at `offsetTicks` in a piece of the clip's ppq and tempo map. */
function notesOfRoll(roll: PianoRoll, ppq: number, tempos: readonly TempoChange[], velocity: number, offsetTicks: number): Note[] {
  const decoded = decodePianoRoll(roll, { ppq, tempos, velocity });
  return decoded.tracks[0]!.notes.map((note) => ({ ...note, ticks: note.ticks + offsetTicks }));
}

function newTrack(name: string, like: Track | undefined, notes: readonly Note[]): Track {
  const melodic = like && !isDrumTrack(like) ? like : undefined;
  return { name, program: melodic?.program ?? 0, channel: melodic?.channel ?? 0, isDrum: false, notes, controlChanges: [] };
}

/** Seconds follow the ticks; the duration is the last note's end. */
function withTracks(clip: Piece, tracks: readonly Track[]): Piece {
  return normalizeMusic({ ...clip, tracks });
}

/** Throws the uses' own message when the roll has notes outside the model's range. */
function checkRange(roll: PianoRoll, model: ModelFrame, what: string): void {
  framesFromPianoRoll(roll, model.range, what);
}

// ---- Harmonize --------------------------------------------------------------------------------

export function prepareHarmonize(clip: Piece, trackIndex: number, noteIndices: readonly number[], model: ModelFrame, harmonyTrackName: string): PreparedUse<{ melody: PianoRoll }> {
  const track = clip.tracks[trackIndex];
  if (!track) throw new PolyphonicError(`“${clip.name}” has ${clip.tracks.length} track${clip.tracks.length === 1 ? '' : 's'}: there is no track ${trackIndex}.`);
  if (noteIndices.length === 0) throw new PolyphonicError('The selection is empty: select the melody notes to harmonize.');
  const outOfRange = noteIndices.find((index) => !Number.isInteger(index) || index < 0 || index >= track.notes.length);
  if (outOfRange !== undefined) {
    throw new PolyphonicError(`Track ${trackIndex} (“${track.name}”) of “${clip.name}” has ${track.notes.length} notes: there is no note ${outOfRange}.`);
  }
  const melodyNotes = [...new Set(noteIndices)].map((index) => track.notes[index]!);
  const { ppq } = clip;
  const { resolution } = model;
  const whole = encodePianoRoll({ ...clip, tracks: [{ ...track, isDrum: false, notes: melodyNotes }] }, { resolution, mode: 'binary', tracks: { index: 0 } });
  const startStep = Math.min(...melodyNotes.map((note) => toStep(note.ticks, ppq, resolution)));
  const melody = sliceRoll(whole, startStep, whole.steps);
  checkRange(melody, model, 'The melody');
  const velocity = medianVelocity(melodyNotes);
  const offsetTicks = toTicks(startStep, ppq, resolution);
  return {
    request: { melody },
    compose(roll) {
      // The added voices: what sounds in the result where the melody does not.
      const voices = emptyRoll(roll.steps, roll.resolution);
      for (let k = 0; k < roll.data.length; k++) if (roll.data[k] && !melody.data[k]) voices.data[k] = 1;
      const harmony = newTrack(harmonyTrackName, track, notesOfRoll(voices, ppq, clip.tempos, velocity, offsetTicks));
      return withTracks(clip, [track, harmony]);
    },
  };
}

// ---- Infill -----------------------------------------------------------------------------------

export interface TickRegion {
  readonly startTick: number;
  readonly endTick: number;
  readonly lowPitch?: number;
  readonly highPitch?: number;
}

/** The region's notes removed; a note crossing an edge keeps its parts outside [startTick, endTick). */
function withoutRegion(notes: readonly Note[], startTick: number, endTick: number, inBand: (pitch: number) => boolean): { kept: Note[]; removed: number } {
  const kept: Note[] = [];
  let removed = 0;
  for (const note of notes) {
    const end = note.ticks + note.durationTicks;
    if (!inBand(note.pitch) || end <= startTick || note.ticks >= endTick) {
      kept.push(note);
      continue;
    }
    removed++;
    if (note.ticks < startTick) kept.push({ ...note, durationTicks: startTick - note.ticks });
    if (end > endTick) kept.push({ ...note, ticks: endTick, durationTicks: end - endTick });
  }
  return { kept, removed };
}

export function prepareInfill(clip: Piece, region: TickRegion, model: ModelFrame, newTrackName: string): PreparedUse<{ roll: PianoRoll; region: InfillRegion }> {
  const { ppq } = clip;
  const { resolution, range } = model;
  const clipEnd = Math.max(clip.durationTicks, ...clip.tracks.flatMap((track) => track.notes.map((note) => note.ticks + note.durationTicks)));
  if (region.endTick <= region.startTick) throw new PolyphonicError(`The selection is empty (ticks ${region.startTick} to ${region.endTick}): select a region to infill.`);
  if (region.endTick > clipEnd) {
    throw new PolyphonicError(`The region (ticks ${region.startTick} to ${region.endTick}) is not inside “${clip.name}”, which ends at tick ${clipEnd}.`);
  }
  const startStep = toStep(region.startTick, ppq, resolution);
  const endStep = toStep(region.endTick, ppq, resolution);
  if (endStep <= startStep) {
    throw new PolyphonicError(`The region (ticks ${region.startTick} to ${region.endTick}) is shorter than one step of the model's grid (${ppq / resolution} ticks): select a longer region.`);
  }
  const lowPitch = region.lowPitch ?? range.low;
  const highPitch = region.highPitch ?? range.high;
  if (lowPitch < range.low || highPitch > range.high) {
    throw new PolyphonicError(`The region covers pitches ${lowPitch}..${highPitch}, beyond the model's trained range ${formatRange(range)}: select pitches within it.`);
  }
  const melodicTracks = clip.tracks.map((track, index) => ({ track, index })).filter(({ track }) => !isDrumTrack(track));
  if (melodicTracks.length === 0 && clip.tracks.length > 0) throw new PolyphonicError(`“${clip.name}” has drum tracks only: a polyphonic model infills pitched music.`);
  const encoded = melodicTracks.some(({ track }) => track.notes.length > 0) ? encodePianoRoll(clip, { resolution, mode: 'binary' }) : emptyRoll(0, resolution);
  const roll = sliceRoll(encoded, 0, Math.max(encoded.steps, endStep));
  checkRange(roll, model, `“${clip.name}”`);
  const startTick = toTicks(startStep, ppq, resolution);
  const endTick = toTicks(endStep, ppq, resolution);
  const inBand = (pitch: number): boolean => pitch >= lowPitch && pitch <= highPitch;
  const velocity = medianVelocity(melodicTracks.flatMap(({ track }) => track.notes));
  return {
    request: { roll, region: { startStep, endStep, lowPitch, highPitch } },
    compose(result) {
      // The region of the result (its steps, the band's pitches) as notes.
      const regionRoll = emptyRoll(endStep - startStep, resolution);
      for (let step = startStep; step < endStep; step++) {
        for (let pitch = lowPitch; pitch <= highPitch; pitch++) {
          if (result.data[step * PIANO_ROLL_PITCHES + pitch]) regionRoll.data[(step - startStep) * PIANO_ROLL_PITCHES + pitch] = 1;
        }
      }
      const added = notesOfRoll(regionRoll, ppq, clip.tempos, velocity, startTick);
      const removedBy: number[] = [];
      const tracks: Track[] = clip.tracks.map((track) => {
        if (isDrumTrack(track)) {
          removedBy.push(-1);
          return track;
        }
        const { kept, removed } = withoutRegion(track.notes, startTick, endTick, inBand);
        removedBy.push(removed);
        return { ...track, notes: kept };
      });
      // The track that held most of the region's notes, else the first melodic one with notes, else the first melodic one.
      const most = Math.max(0, ...removedBy);
      const target = most > 0 ? removedBy.indexOf(most) : (melodicTracks.find(({ track }) => track.notes.length > 0) ?? melodicTracks[0])?.index ?? -1;
      if (target < 0) return withTracks(clip, [...tracks, newTrack(newTrackName, undefined, added)]);
      return withTracks(
        clip,
        tracks.map((track, index) => (index === target ? { ...track, notes: [...track.notes, ...added] } : track)),
      );
    },
  };
}

// ---- Continue ---------------------------------------------------------------------------------

export interface ContinueMeta {
  /** The result's tempo without a primer (the corpus's usual one). */
  readonly tempoBpm: number;
  readonly trackName: string;
  readonly continuationTrackName: string;
}

export function prepareContinue(primer: Piece | null, model: ModelFrame, meta: ContinueMeta): PreparedUse<{ primer: PianoRoll }> {
  const { resolution } = model;
  const hasNotes = primer !== null && primer.tracks.some((track) => !isDrumTrack(track) && track.notes.length > 0);
  const roll = primer && hasNotes ? encodePianoRoll(primer, { resolution, mode: 'binary' }) : emptyRoll(0, resolution);
  if (primer) checkRange(roll, model, `The primer “${primer.name}”`);
  return {
    request: { primer: roll },
    compose(continuation) {
      if (!primer) {
        const tempos = [{ ticks: 0, bpm: meta.tempoBpm }];
        const decoded = decodePianoRoll(continuation, { tempos, velocity: DEFAULT_VELOCITY, trackName: meta.trackName });
        return normalizeMusic(decoded);
      }
      const offsetTicks = toTicks(roll.steps, primer.ppq, resolution);
      const like = primer.tracks.find((track) => !isDrumTrack(track) && track.notes.length > 0);
      const velocity = medianVelocity(like?.notes ?? []);
      const notes = notesOfRoll(continuation, primer.ppq, primer.tempos, velocity, offsetTicks);
      return withTracks(primer, [...primer.tracks, newTrack(meta.continuationTrackName, like, notes)]);
    },
  };
}

/** Grid steps at the model's resolution for a models.generate or comparison length (bars are 4/4). */
export function lengthInSteps(length: { readonly unit: 'steps' | 'bars'; readonly value: number }, resolution: number): number {
  return length.unit === 'steps' ? length.value : length.value * 4 * resolution;
}
