/**
 * Ticks ↔ wall-clock milliseconds for the scheduler.
 *
 * A tempo override *scales* the piece's tempo map (every tempo times override / the tempo at tick 0),
 * so a piece that slows down at its end still slows down, only around another tempo.
 *
 * A `Pass` is one stretch of playback with no jump in it: it starts at `startMs` on the clock at
 * `startTicks` in the music and follows one tempo mapping. Play, seek, each loop wrap and each tempo
 * change start a new pass; the playhead (currentTicks) reads from the pass that covers "now".
 */
import { DEFAULT_TEMPO_BPM, secondsToTicks, ticksToSeconds } from '../../../core/music/tempo-map';
import type { TempoChange } from '../../../core/music/types';

export interface TempoMapping {
  readonly ppq: number;
  /** 1 without an override. */
  readonly factor: number;
  secondsAt(ticks: number): number;
  ticksAt(seconds: number): number;
  /** The (scaled) tempo in force at `ticks`. */
  bpmAt(ticks: number): number;
}

/** The tempo at tick 0: what the transport shows and what an override is relative to. */
export function baseBpm(tempos: readonly TempoChange[]): number {
  let bpm = DEFAULT_TEMPO_BPM;
  let at = Infinity;
  for (const tempo of tempos) {
    if (tempo.ticks <= 0 && (at === Infinity || tempo.ticks >= at)) {
      bpm = tempo.bpm;
      at = tempo.ticks;
    }
  }
  return bpm;
}

export function checkBpm(bpm: number): void {
  if (!Number.isFinite(bpm) || bpm < 10 || bpm > 999) throw new RangeError(`A tempo is 10 to 999 quarter notes per minute (got ${bpm}).`);
}

export function tempoMapping(tempos: readonly TempoChange[], ppq: number, overrideBpm: number | null): TempoMapping {
  if (overrideBpm !== null) checkBpm(overrideBpm);
  const factor = overrideBpm === null ? 1 : overrideBpm / baseBpm(tempos);
  // The default tempo before the first change is scaled too, so it is written out here.
  const withStart = tempos.some((tempo) => tempo.ticks <= 0) ? tempos : [{ ticks: 0, bpm: DEFAULT_TEMPO_BPM }, ...tempos];
  const scaled = withStart.map((tempo) => ({ ticks: tempo.ticks, bpm: tempo.bpm * factor }));
  const sorted = [...scaled].sort((a, b) => a.ticks - b.ticks);
  return {
    ppq,
    factor,
    secondsAt: ticksToSeconds(scaled, ppq),
    ticksAt: secondsToTicks(scaled, ppq),
    bpmAt(ticks) {
      let bpm = sorted[0]!.bpm;
      for (const tempo of sorted) if (tempo.ticks <= ticks) bpm = tempo.bpm;
      return bpm;
    },
  };
}

export class Pass {
  readonly #baseSeconds: number;

  constructor(
    readonly startMs: number,
    readonly startTicks: number,
    readonly mapping: TempoMapping,
  ) {
    this.#baseSeconds = mapping.secondsAt(startTicks);
  }

  /** When `ticks` sounds in this pass, in clock milliseconds. */
  msAt(ticks: number): number {
    return this.startMs + (this.mapping.secondsAt(ticks) - this.#baseSeconds) * 1000;
  }

  /** Where this pass is at clock time `ms` (fractional ticks). */
  ticksAt(ms: number): number {
    return this.mapping.ticksAt(this.#baseSeconds + (ms - this.startMs) / 1000);
  }
}
