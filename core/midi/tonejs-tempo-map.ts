/**
 * Ticks → seconds exactly as @tonejs/midi 2.0.28's Header computes them (its update() and
 * ticksToSeconds()), so that pieces imported before and after the importer stopped using @tonejs/midi
 * carry the same seconds, to the last bit.
 *
 * core/music/tempo-map.ts is not reused, deliberately: @tonejs/midi places its first tempo change at
 * the time that tempo itself gives it (tempo-map.ts: 120 bpm until the first change), uses 120 bpm
 * only for ticks before the first change, accepts any bpm (a tempo of 0 µs per quarter is an infinite
 * bpm; a tempo cut off by the end of its track is NaN) and rounds differently.
 */

export interface TempoEvent {
  readonly ticks: number;
  readonly bpm: number;
}

export class TonejsTempoMap {
  private readonly ticks: Float64Array;
  private readonly seconds: Float64Array;
  private readonly bpm: Float64Array;

  /** `tempos` sorted by ticks (a stable sort of the file's order), as @tonejs/midi sorts them. */
  constructor(
    tempos: readonly TempoEvent[],
    private readonly ppq: number,
  ) {
    const count = tempos.length;
    this.ticks = new Float64Array(count);
    this.seconds = new Float64Array(count);
    this.bpm = new Float64Array(count);
    // The same arithmetic, in the same order, as Header.update().
    let currentTime = 0;
    let lastEventBeats = 0;
    for (let index = 0; index < count; index++) {
      const tempo = tempos[index]!;
      const lastBpm = index > 0 ? tempos[index - 1]!.bpm : tempos[0]!.bpm;
      const beats = tempo.ticks / ppq - lastEventBeats;
      const elapsedSeconds = (60 / lastBpm) * beats;
      const time = elapsedSeconds + currentTime;
      currentTime = time;
      lastEventBeats += beats;
      this.ticks[index] = tempo.ticks;
      this.seconds[index] = time;
      this.bpm[index] = tempo.bpm;
    }
  }

  /** Header.ticksToSeconds: the last tempo at or before `ticks`, or 120 bpm before the first one. */
  secondsAt(ticks: number): number {
    const index = this.lastTempoAtOrBefore(ticks);
    if (index < 0) return (60 / 120) * (ticks / this.ppq);
    return this.seconds[index]! + (60 / this.bpm[index]!) * ((ticks - this.ticks[index]!) / this.ppq);
  }

  /** What @tonejs/midi's binary search finds in a sorted list: the last change at or before `ticks`, or -1. */
  private lastTempoAtOrBefore(ticks: number): number {
    const all = this.ticks;
    const count = all.length;
    if (count === 0) return -1;
    if (all[count - 1]! <= ticks) return count - 1; // the usual case: one tempo, or past the last change
    let low = 0;
    let high = count; // invariant: all[< low] <= ticks < all[>= high]
    while (low < high) {
      const middle = (low + high) >> 1;
      if (all[middle]! <= ticks) low = middle + 1;
      else high = middle;
    }
    return low - 1;
  }
}
