/**
 * The music flattened for the scheduler: every note and controller of every track, sorted by tick,
 * so each lookahead window is a binary search and a short walk. Built on every setMusic (cheap:
 * one sort), mute and solo are applied as events are sent, so toggling them needs no rebuild.
 */
import type { Piece } from '../../../core/music/types';
import type { TrackPlayback } from './playback-api';

export interface PlannedNote {
  readonly ticks: number;
  readonly durationTicks: number;
  readonly pitch: number;
  readonly velocity: number;
  readonly track: number;
}

export interface PlannedControl {
  readonly ticks: number;
  readonly controller: number;
  readonly value: number;
  readonly track: number;
}

export interface PlaybackPlan {
  readonly notes: readonly PlannedNote[];
  readonly controls: readonly PlannedControl[];
  /** The end of the music: its duration or the end of its last note, whichever is later. */
  readonly endTicks: number;
}

export const EMPTY_PLAN: PlaybackPlan = { notes: [], controls: [], endTicks: 0 };

export function buildPlan(piece: Piece): PlaybackPlan {
  const notes: PlannedNote[] = [];
  const controls: PlannedControl[] = [];
  let endTicks = Math.max(0, piece.durationTicks);
  piece.tracks.forEach((track, index) => {
    for (const note of track.notes) {
      notes.push({ ticks: note.ticks, durationTicks: Math.max(0, note.durationTicks), pitch: note.pitch, velocity: note.velocity, track: index });
      endTicks = Math.max(endTicks, note.ticks + note.durationTicks);
    }
    for (const change of track.controlChanges) controls.push({ ticks: change.ticks, controller: change.controller, value: change.value, track: index });
  });
  // Stable: equal ticks keep track order, then the track's own order.
  notes.sort((a, b) => a.ticks - b.ticks);
  controls.sort((a, b) => a.ticks - b.ticks);
  return { notes, controls, endTicks };
}

/** The first index whose ticks are at or after `ticks`. */
export function lowerBound(items: readonly { readonly ticks: number }[], ticks: number): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (items[middle]!.ticks < ticks) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The last value of each controller of each audible track before `ticks` (to "chase" them on play). */
export function chaseControls(plan: PlaybackPlan, ticks: number, audible: (track: number) => boolean): PlannedControl[] {
  const last = new Map<string, PlannedControl>();
  for (const change of plan.controls) {
    if (change.ticks >= ticks) break;
    if (audible(change.track)) last.set(`${change.track}:${change.controller}`, change);
  }
  return [...last.values()];
}

/** Which tracks sound: not muted, and soloed when any track is. */
export function audibility(tracks: readonly TrackPlayback[]): (track: number) => boolean {
  const anySolo = tracks.some((track) => track.solo);
  return (index) => {
    const track = tracks[index];
    if (!track) return false;
    return !track.muted && (!anySolo || track.solo);
  };
}

/** The editor's settings for each track, defaulting to the track's own channel and program. */
export function normalizeTracks(piece: Piece, tracks: readonly TrackPlayback[]): TrackPlayback[] {
  return piece.tracks.map((track, index) => {
    const given = tracks[index];
    const result: TrackPlayback = given ?? { muted: false, solo: false, channel: track.channel, program: track.program };
    if (!Number.isInteger(result.channel) || result.channel < 0 || result.channel > 15) {
      throw new RangeError(`Track ${index + 1} (“${track.name}”): a MIDI channel is 0..15 (got ${result.channel}).`);
    }
    if (!Number.isInteger(result.program) || result.program < 0 || result.program > 127) {
      throw new RangeError(`Track ${index + 1} (“${track.name}”): a program is 0..127 (got ${result.program}).`);
    }
    return result;
  });
}
