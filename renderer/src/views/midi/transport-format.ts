/** How the transport writes positions, times, loop regions and tempos. */
import { barsBeatsTicks, barStartTicks, formatBarsBeatsTicks, type MeterMap } from '../../playback/meter';
import type { LoopRegion } from '../../playback/playback-api';

export { formatBarsBeatsTicks };

/** "1:05.250": minutes, seconds and milliseconds. */
export function formatTransportTime(seconds: number): string {
  const safe = Number.isFinite(seconds) ? Math.max(0, seconds) : 0;
  const totalMs = Math.floor(safe * 1000 + 1e-6);
  const minutes = Math.floor(totalMs / 60000);
  const secondsPart = Math.floor((totalMs % 60000) / 1000);
  const ms = totalMs % 1000;
  return `${minutes}:${String(secondsPart).padStart(2, '0')}.${String(ms).padStart(3, '0')}`;
}

/** "3.1": bar and beat. */
export function formatBarBeat(meter: MeterMap, ticks: number): string {
  const position = barsBeatsTicks(meter, ticks);
  return position.ticks === 0 ? `${position.bar}.${position.beat}` : `${position.bar}.${position.beat}+${position.ticks}`;
}

export function formatLoop(meter: MeterMap, loop: LoopRegion): string {
  return `${formatBarBeat(meter, loop.startTicks)}–${formatBarBeat(meter, loop.endTicks)}`;
}

/** A loop to offer when none was set: the first four bars, or the music if it is shorter (whole bars). */
export function defaultLoop(meter: MeterMap, endTicks: number): LoopRegion {
  let bars = 1;
  while (bars < 4 && barStartTicks(meter, bars + 1) < endTicks) bars++;
  return { startTicks: 0, endTicks: barStartTicks(meter, bars + 1) };
}

/** The tempo field's text as a tempo: null for empty (the piece's own), an error message otherwise. */
export function parseTempo(text: string): { bpm: number | null } | { error: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { bpm: null };
  const bpm = Number(trimmed);
  if (!Number.isFinite(bpm) || bpm < 10 || bpm > 999) return { error: 'A tempo is 10 to 999 quarter notes per minute.' };
  return { bpm: Math.round(bpm * 100) / 100 };
}

export function formatTempo(bpm: number): string {
  return String(Math.round(bpm * 100) / 100);
}
