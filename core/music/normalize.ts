/**
 * Music that arrives from outside (the editor, a model) keeps its ticks, the one exact timeline;
 * every time in seconds, the note order and the piece's length are derived again from the ticks and
 * the tempo map, so a stored clip can never disagree with itself.
 */
import { ticksToSeconds } from './tempo-map';
import type { Piece, Track } from './types';

export function normalizeMusic(music: Piece): Piece {
  const toSeconds = ticksToSeconds(music.tempos, music.ppq);
  let durationTicks = 0;
  const tracks: Track[] = music.tracks.map((track) => {
    const notes = [...track.notes]
      .sort((a, b) => a.ticks - b.ticks || a.pitch - b.pitch)
      .map((note) => {
        const end = note.ticks + note.durationTicks;
        if (end > durationTicks) durationTicks = end;
        const time = toSeconds(note.ticks);
        return { ...note, time, duration: toSeconds(end) - time };
      });
    const controlChanges = [...track.controlChanges]
      .sort((a, b) => a.ticks - b.ticks || a.controller - b.controller)
      .map((change) => {
        if (change.ticks > durationTicks) durationTicks = change.ticks;
        return { ...change, time: toSeconds(change.ticks) };
      });
    return { ...track, notes, controlChanges };
  });
  return { ...music, tracks, durationTicks, duration: toSeconds(durationTicks) };
}
