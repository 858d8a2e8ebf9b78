/**
 * The playback engine: a lookahead scheduler in the manner of Chris Wilson's "A Tale of Two Clocks"
 * and ryohey/signal's event scheduler. A timer wakes every ~25 ms and sends everything due in the
 * next ~100 ms with its exact timestamp; nothing later is ever handed to an output, because queued
 * Web MIDI messages cannot be taken back in Chromium. So stop, seek and panic act within the lookahead.
 *
 * Time is the page's performance.now() (Web MIDI's timestamps); the internal synth maps it onto its
 * audio clock. Music time is ticks; each stretch without a jump is a `Pass` (see timeline.ts).
 *
 * Decisions:
 * - Notes sounding into the loop end are cut at the loop end; a loop wraps seamlessly (the next pass
 *   starts exactly when the last one ends). A note that started before the play position is not
 *   re-struck (as most DAWs do). Controllers are "chased" on play: the last value before the position.
 * - Hardware gets MIDI clock (24 per quarter) while playing: Start (FA) from the top; otherwise Song
 *   Position (rounded up to the next sixteenth, where the first clock then falls) and Continue (FB).
 *   A seek or loop wrap while playing sends Stop, Song Position, Continue. Program changes go out
 *   on play (and when the editor changes a program while playing, or an audition needs one).
 * - Stop sends note-offs for every sounding or queued note, Stop (FC) and all-notes-off (CC 123) on
 *   the channels in use, timed after the last queued message so nothing queued outlives them.
 *   A second stop returns the playhead to 0; so does reaching the end of the music.
 * - Panic: CC 120, 123, 121 on all 16 channels now, then explicit note-offs for every sounding note.
 * - A tempo override scales the piece's tempo map (timeline.ts).
 */
import type { Piece } from '../../../core/music/types';
import { beatsInRange, meterAt, meterMap, type MeterMap } from './meter';
import { ALL_NOTES_OFF, CLOCKS_PER_QUARTER, SUSTAIN } from './midi-bytes';
import { OutputUnavailableError, type OutputSink, type SinkVoice } from './output-sink';
import { audibility, buildPlan, chaseControls, EMPTY_PLAN, lowerBound, normalizeTracks, type PlaybackPlan } from './plan';
import type { LoopRegion, Playback, PlaybackOutput, PlaybackState, TrackPlayback } from './playback-api';
import { baseBpm, checkBpm, Pass, tempoMapping, type TempoMapping } from './timeline';

export interface PlaybackClock {
  /** Milliseconds, performance.now() in the app. */
  now(): number;
}

/** Calls `tick` every `intervalMs` until stopped (a worker timer in the app, a fake in tests). */
export interface SchedulerTimer {
  start(tick: () => void, intervalMs: number): void;
  stop(): void;
}

export interface PlaybackDeps {
  readonly clock: PlaybackClock;
  readonly timer: SchedulerTimer;
  /** The sink for an output; throws OutputUnavailableError (with a message for the composer) when it cannot be used. */
  sinkFor(output: PlaybackOutput): OutputSink;
  /** Something the composer should be told (an output vanished or failed, playback fell back). */
  onProblem?(message: string): void;
  readonly lookaheadMs?: number;
  readonly intervalMs?: number;
  /** How far ahead of "now" play starts, so the first events are not late. */
  readonly startDelayMs?: number;
  readonly auditionMs?: number;
}

export const DEFAULT_LOOKAHEAD_MS = 100;
export const DEFAULT_INTERVAL_MS = 25;
export const DEFAULT_START_DELAY_MS = 20;
export const DEFAULT_AUDITION_MS = 300;
/** A note of zero length still gets its note-off after its note-on. */
const MIN_NOTE_MS = 1;
/** How long past passes are kept, so a recorded MIDI message can still be placed in ticks. */
const PASS_HISTORY_MS = 2000;
const TRACK_AUDITION = -1;
const TRACK_MONITOR = -2;
const TRACK_CLICK = -3;

export interface PlayOptions {
  /** Bars of metronome before the play position (a count-in for recording). */
  readonly countInBars?: number;
}

/** PlaybackState plus what the transport shows about the music. */
export interface EngineState extends PlaybackState {
  readonly music: Piece | null;
  readonly meter: MeterMap;
  /** The piece's own tempo at tick 0 (an override replaces it). */
  readonly pieceBpm: number;
  /** Seconds per tick factor of the override (1 without): the piece's tempo map × factor. */
  readonly tempoFactor: number;
}

export interface PlaybackEngine extends Playback {
  play(options?: PlayOptions): void;
  getState(): EngineState;
  /** The music position (ticks) heard at clock time `ms` while playing; null when stopped. */
  ticksAtTime(ms: number): number | null;
  /** The tempo mapping playback uses now (override applied). */
  tempo(): TempoMapping;
  /** The MIDI output `outputId` is gone: if it is in use, playback stops and falls back to internal. */
  outputLost(outputId: string, message: string): void;
  /** Echo a live note (MIDI input while recording) to the output; held until its note-off. */
  monitorNote(on: boolean, voice: SinkVoice, pitch: number, velocity: number): void;
  dispose(): void;
}

interface Sounding {
  readonly voice: SinkVoice;
  readonly pitch: number;
  /** The track index, or TRACK_AUDITION / TRACK_MONITOR. */
  readonly track: number;
  readonly onMs: number;
  offMs: number;
  offSent: boolean;
}

interface Run {
  readonly passes: Pass[];
  /** Everything before this tick (in the current pass) has been sent. */
  cursor: number;
  nextNote: number;
  nextControl: number;
  /** Notes before this tick are not played (the count-in); -Infinity after it. */
  notesFrom: number;
  /** Clicks are forced before this tick (the count-in). */
  countInUntil: number;
  /** MIDI clock is sent from this tick on (a sixteenth boundary), once armed. */
  clockFrom: number;
  clockArmed: boolean;
  /** A count-in defers Start/Continue to the play position. */
  startDue: { readonly ticks: number; readonly sixteenth: number } | null;
  /** When the music ends (no loop), once scheduled that far. */
  endMs: number | null;
  /** The end's all-notes-off and Stop have been sent (timed at endMs). */
  endSent: boolean;
}

/** Send order among events of one timestamp. */
const ORDER = { program: 0, noteOff: 1, control: 2, transport: 3, clock: 4, click: 5, noteOn: 6, final: 7 } as const;

interface Scheduled {
  readonly ms: number;
  readonly order: number;
  readonly fire: (sink: OutputSink) => void;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function checkLoop(loop: LoopRegion | null): void {
  if (loop === null) return;
  const { startTicks, endTicks } = loop;
  if (!Number.isFinite(startTicks) || !Number.isFinite(endTicks) || startTicks < 0 || endTicks <= startTicks) {
    throw new RangeError(`A loop region needs 0 ≤ start < end in ticks (got ${startTicks}..${endTicks}).`);
  }
}

function checkTicks(ticks: number): void {
  if (!Number.isFinite(ticks) || ticks < 0) throw new RangeError(`A position is a tick at 0 or later (got ${ticks}).`);
}

function checkMidi7(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 127) throw new RangeError(`A ${what} is 0..127 (got ${value}).`);
}

export function createPlayback(deps: PlaybackDeps): PlaybackEngine {
  return new Engine(deps);
}

class Engine implements PlaybackEngine {
  readonly #deps: PlaybackDeps;
  readonly #lookaheadMs: number;
  readonly #intervalMs: number;
  readonly #startDelayMs: number;
  readonly #auditionMs: number;
  readonly #listeners = new Set<() => void>();
  #state: EngineState;
  #plan: PlaybackPlan = EMPTY_PLAN;
  #tracks: TrackPlayback[] = [];
  #audible: (track: number) => boolean = () => false;
  #mapping: TempoMapping = tempoMapping([], 480, null);
  #sink: OutputSink;
  #run: Run | null = null;
  #sounding: Sounding[] = [];
  /** The program last sent on each channel of the current output. */
  #programs: (number | undefined)[] = [];
  readonly #sustainDown = new Set<number>();
  #lastSentMs = -Infinity;
  #timerRunning = false;
  #failing = false;

  constructor(deps: PlaybackDeps) {
    this.#deps = deps;
    this.#lookaheadMs = deps.lookaheadMs ?? DEFAULT_LOOKAHEAD_MS;
    this.#intervalMs = deps.intervalMs ?? DEFAULT_INTERVAL_MS;
    this.#startDelayMs = deps.startDelayMs ?? DEFAULT_START_DELAY_MS;
    this.#auditionMs = deps.auditionMs ?? DEFAULT_AUDITION_MS;
    this.#sink = deps.sinkFor({ kind: 'internal' });
    this.#state = {
      playing: false,
      positionTicks: 0,
      loop: null,
      tempoOverrideBpm: null,
      metronome: false,
      output: { kind: 'internal' },
      music: null,
      meter: meterMap([], 480),
      pieceBpm: 120,
      tempoFactor: 1,
    };
  }

  // ---- state -------------------------------------------------------------------------------

  // Bound, so React's useSyncExternalStore can take them as they are.
  readonly getState = (): EngineState => this.#state;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  };

  #update(change: Partial<EngineState>): void {
    this.#state = { ...this.#state, ...change };
    for (const listener of [...this.#listeners]) listener();
  }

  #problem(message: string): void {
    if (this.#deps.onProblem) this.#deps.onProblem(message);
    else console.warn(message);
  }

  #now(): number {
    return this.#deps.clock.now();
  }

  #ppq(): number {
    return this.#state.music?.ppq ?? 480;
  }

  tempo(): TempoMapping {
    return this.#mapping;
  }

  // ---- the music ---------------------------------------------------------------------------

  setMusic(music: Piece, tracks: readonly TrackPlayback[]): void {
    const normalized = normalizeTracks(music, tracks);
    const previous = this.#state.music;
    const tempoChanged = !previous || previous.tempos !== music.tempos || previous.ppq !== music.ppq;
    const meterChanged = !previous || previous.timeSignatures !== music.timeSignatures || previous.ppq !== music.ppq;
    const meter = meterChanged ? meterMap(music.timeSignatures, music.ppq) : this.#state.meter;
    const mapping = tempoChanged ? tempoMapping(music.tempos, music.ppq, this.#state.tempoOverrideBpm) : this.#mapping;
    this.#plan = buildPlan(music);
    this.#tracks = normalized;
    this.#audible = audibility(normalized);
    const run = this.#run;
    if (run) {
      const now = this.#now();
      const batch: Scheduled[] = [];
      // Silence notes of tracks that went quiet or moved channel.
      this.#sounding = this.#sounding.filter((note) => {
        if (note.track < 0) return true;
        const track = normalized[note.track];
        const keep = !!track && this.#audible(note.track) && track.channel === note.voice.channel;
        if (!keep && (!note.offSent || note.offMs > now)) this.#pushOff(batch, note, now);
        return keep;
      });
      this.#pushProgramChanges(batch, now, true);
      run.nextNote = lowerBound(this.#plan.notes, Math.max(run.cursor, run.notesFrom));
      run.nextControl = lowerBound(this.#plan.controls, Math.max(run.cursor, run.notesFrom));
      run.endMs = null;
      this.#dispatch(batch);
    }
    this.#mapping = mapping;
    if (run && tempoChanged) this.#reanchor(run, mapping);
    this.#update({ music, meter, pieceBpm: baseBpm(music.tempos), tempoFactor: mapping.factor });
  }

  /** Continues the current run from its cursor under a new tempo mapping. */
  #reanchor(run: Run, mapping: TempoMapping): void {
    const pass = run.passes[run.passes.length - 1]!;
    run.passes.push(new Pass(pass.msAt(run.cursor), run.cursor, mapping));
    run.endMs = null;
  }

  setTempoOverride(bpm: number | null): void {
    if (bpm !== null) checkBpm(bpm);
    const music = this.#state.music;
    const mapping = tempoMapping(music?.tempos ?? [], this.#ppq(), bpm);
    this.#mapping = mapping;
    // The current pass keeps the old mapping up to the cursor; the new one takes over from there.
    if (this.#run) this.#reanchor(this.#run, mapping);
    this.#update({ tempoOverrideBpm: bpm, tempoFactor: mapping.factor });
  }

  setLoop(loop: LoopRegion | null): void {
    checkLoop(loop);
    if (this.#run) this.#run.endMs = null;
    this.#update({ loop: loop ? { startTicks: loop.startTicks, endTicks: loop.endTicks } : null });
  }

  setMetronome(on: boolean): void {
    this.#update({ metronome: on });
  }

  // ---- transport ---------------------------------------------------------------------------

  play(options: PlayOptions = {}): void {
    if (this.#state.playing) return;
    const music = this.#state.music;
    if (!music) {
      this.#problem('There is no music to play yet.');
      return;
    }
    const countInBars = options.countInBars ?? 0;
    if (!Number.isInteger(countInBars) || countInBars < 0 || countInBars > 8) throw new RangeError(`A count-in is 0 to 8 bars (got ${countInBars}).`);
    let position = this.#state.positionTicks;
    if (!this.#state.loop && position >= this.#plan.endTicks) position = 0;
    const preRoll = countInBars * meterAt(this.#state.meter, position).barTicks;
    const now = this.#now();
    this.#startRun(position, Math.max(now + this.#startDelayMs, this.#lastSentMs), preRoll, false);
    this.#update({ playing: true, positionTicks: position });
    this.#ensureTimer();
    this.#pump();
  }

  stop(): void {
    if (!this.#run) {
      if (this.#state.positionTicks !== 0) this.seek(0);
      return;
    }
    const position = this.#runPosition();
    this.#halt();
    this.#update({ playing: false, positionTicks: position });
  }

  seek(ticks: number): void {
    checkTicks(ticks);
    const now = this.#now();
    if (this.#run) {
      this.#halt();
      this.#startRun(ticks, Math.max(now + this.#startDelayMs, this.#lastSentMs), 0, true);
      this.#update({ positionTicks: ticks });
      this.#pump();
      return;
    }
    if (this.#sink.sendsClock) {
      const sixteenth = this.#sixteenthAtOrAfter(ticks);
      this.#dispatch([{ ms: now, order: ORDER.transport, fire: (sink) => sink.songPosition(sixteenth, now) }]);
    }
    this.#update({ positionTicks: ticks });
  }

  panic(): void {
    const now = this.#now();
    const position = this.#run ? this.#runPosition() : this.#state.positionTicks;
    const sounding = this.#sounding;
    const batch: Scheduled[] = [{ ms: now, order: ORDER.program, fire: (sink) => sink.allOff(now) }];
    for (const note of sounding) batch.push({ ms: Math.max(now, note.onMs), order: ORDER.noteOff, fire: (sink) => sink.noteOff(note.voice, note.pitch, Math.max(now, note.onMs)) });
    const run = this.#run;
    this.#run = null;
    this.#sounding = [];
    this.#sustainDown.clear();
    if (run && run.clockArmed && this.#sink.sendsClock) {
      const quiet = Math.max(now, this.#lastSentMs);
      batch.push({ ms: quiet, order: ORDER.transport, fire: (sink) => sink.transport('stop', quiet) });
    }
    this.#dispatchInOrder(batch);
    if (run) this.#update({ playing: false, positionTicks: position });
    this.#maybeStopTimer();
  }

  audition(pitch: number, velocity: number, track?: TrackPlayback): void {
    checkMidi7(pitch, 'pitch');
    checkMidi7(velocity, 'velocity');
    const voice: SinkVoice = { channel: track?.channel ?? 0, program: track?.program ?? 0 };
    const now = this.#now();
    const batch: Scheduled[] = [];
    this.#pushProgram(batch, voice.channel, voice.program, now);
    batch.push({ ms: now, order: ORDER.noteOn, fire: (sink) => sink.noteOn(voice, pitch, velocity, now) });
    this.#sounding.push({ voice, pitch, track: TRACK_AUDITION, onMs: now, offMs: now + this.#auditionMs, offSent: false });
    this.#dispatch(batch);
    this.#ensureTimer();
  }

  monitorNote(on: boolean, voice: SinkVoice, pitch: number, velocity: number): void {
    const now = this.#now();
    const batch: Scheduled[] = [];
    if (on) {
      this.#pushProgram(batch, voice.channel, voice.program, now);
      batch.push({ ms: now, order: ORDER.noteOn, fire: (sink) => sink.noteOn(voice, pitch, velocity, now) });
      this.#sounding.push({ voice, pitch, track: TRACK_MONITOR, onMs: now, offMs: Infinity, offSent: false });
    } else {
      const index = this.#sounding.findIndex((note) => note.track === TRACK_MONITOR && note.pitch === pitch && note.voice.channel === voice.channel);
      if (index < 0) return;
      const [note] = this.#sounding.splice(index, 1);
      this.#pushOff(batch, note!, now);
    }
    this.#dispatch(batch);
  }

  setOutput(output: PlaybackOutput): void {
    const current = this.#state.output;
    if (current.kind === output.kind && (current.kind === 'internal' || (output.kind === 'midi' && current.outputId === output.outputId))) return;
    let sink: OutputSink;
    let chosen = output;
    try {
      sink = this.#deps.sinkFor(output);
    } catch (error) {
      if (output.kind === 'internal') throw error;
      this.#problem(error instanceof OutputUnavailableError ? error.message : `That MIDI output cannot be used: ${describe(error)}`);
      if (current.kind === 'internal') return;
      chosen = { kind: 'internal' };
      sink = this.#deps.sinkFor(chosen);
    }
    const wasPlaying = this.#run !== null;
    const position = wasPlaying ? this.#runPosition() : this.#state.positionTicks;
    if (wasPlaying) this.#halt();
    else this.#silenceSounding();
    this.#sink.close();
    this.#sink = sink;
    this.#programs = [];
    this.#lastSentMs = -Infinity;
    this.#update({ output: chosen, positionTicks: position });
    if (wasPlaying) {
      this.#startRun(position, this.#now() + this.#startDelayMs, 0, false);
      this.#ensureTimer();
      this.#pump();
    }
  }

  outputLost(outputId: string, message: string): void {
    const current = this.#state.output;
    if (current.kind !== 'midi' || current.outputId !== outputId) return;
    this.#abandonOutput(message);
  }

  /** The output can no longer be sent to: stop without sending, switch to the internal synth, say so. */
  #abandonOutput(message: string): void {
    const wasPlaying = this.#run !== null;
    const position = wasPlaying ? this.#runPosition() : this.#state.positionTicks;
    this.#run = null;
    this.#sounding = [];
    this.#sustainDown.clear();
    try {
      this.#sink.close();
    } catch {
      // The port is already gone.
    }
    this.#sink = this.#deps.sinkFor({ kind: 'internal' });
    this.#programs = [];
    this.#lastSentMs = -Infinity;
    this.#update({ output: { kind: 'internal' }, playing: false, positionTicks: position });
    this.#maybeStopTimer();
    this.#problem(message);
  }

  currentTicks(): number {
    if (!this.#run) return this.#state.positionTicks;
    return this.#runPosition(this.#now() - this.#sink.latencyMs());
  }

  ticksAtTime(ms: number): number | null {
    const run = this.#run;
    if (!run) return null;
    return this.#ticksIn(run, ms);
  }

  dispose(): void {
    if (this.#run) this.#halt();
    this.#deps.timer.stop();
    this.#timerRunning = false;
    this.#sink.close();
    this.#listeners.clear();
  }

  // ---- scheduling --------------------------------------------------------------------------

  #ticksIn(run: Run, ms: number): number {
    const passes = run.passes;
    let pass = passes[0]!;
    for (const candidate of passes) if (candidate.startMs <= ms) pass = candidate;
    return Math.max(pass.startTicks, pass.ticksAt(ms));
  }

  /** The playhead of the running transport (not before the play position during a count-in). */
  #runPosition(ms: number = this.#now()): number {
    const run = this.#run!;
    const ticks = this.#ticksIn(run, ms);
    return Math.max(0, Math.min(Math.max(ticks, Number.isFinite(run.notesFrom) ? run.notesFrom : -Infinity), this.#endOf(run).end));
  }

  #sixteenthAtOrAfter(ticks: number): number {
    const sixteenthTicks = this.#ppq() / 4;
    let sixteenth = Math.ceil(ticks / sixteenthTicks);
    while ((sixteenth - 1) * sixteenthTicks >= ticks) sixteenth--;
    while (sixteenth * sixteenthTicks < ticks) sixteenth++;
    return Math.max(0, sixteenth);
  }

  /** `resume`: a seek while playing, where programs already sent are not sent again. */
  #startRun(position: number, startMs: number, preRoll: number, resume: boolean): void {
    const ppq = this.#ppq();
    const startTicks = position - preRoll;
    const run: Run = {
      passes: [new Pass(startMs, startTicks, this.#mapping)],
      cursor: startTicks,
      nextNote: lowerBound(this.#plan.notes, position),
      nextControl: lowerBound(this.#plan.controls, position),
      notesFrom: preRoll > 0 ? position : -Infinity,
      countInUntil: preRoll > 0 ? position : -Infinity,
      clockFrom: 0,
      clockArmed: false,
      startDue: null,
      endMs: null,
      endSent: false,
    };
    const batch: Scheduled[] = [];
    this.#pushProgramChanges(batch, startMs, resume);
    for (const change of chaseControls(this.#plan, position, this.#audible)) {
      const channel = this.#tracks[change.track]!.channel;
      batch.push({ ms: startMs, order: ORDER.control, fire: (sink) => sink.control(channel, change.controller, change.value, startMs) });
      this.#noteSustain(channel, change.controller, change.value);
    }
    if (this.#sink.sendsClock) {
      const sixteenth = this.#sixteenthAtOrAfter(position);
      run.clockFrom = (sixteenth * ppq) / 4;
      if (preRoll > 0) run.startDue = { ticks: position, sixteenth };
      else {
        this.#pushTransportStart(batch, sixteenth, startMs);
        run.clockArmed = true;
      }
    }
    this.#run = run;
    this.#dispatch(batch);
  }

  #pushTransportStart(batch: Scheduled[], sixteenth: number, ms: number): void {
    if (sixteenth === 0) {
      batch.push({ ms, order: ORDER.transport, fire: (sink) => sink.transport('start', ms) });
    } else {
      batch.push({ ms, order: ORDER.transport, fire: (sink) => sink.songPosition(sixteenth, ms) });
      batch.push({ ms, order: ORDER.transport, fire: (sink) => sink.transport('continue', ms) });
    }
  }

  /** Program changes for each channel in use (the first track on a channel decides it). */
  #pushProgramChanges(batch: Scheduled[], ms: number, onlyChanged: boolean): void {
    const seen = new Set<number>();
    for (const track of this.#tracks) {
      if (seen.has(track.channel)) continue;
      seen.add(track.channel);
      if (onlyChanged && this.#programs[track.channel] === track.program) continue;
      this.#programs[track.channel] = track.program;
      const { channel, program } = track;
      batch.push({ ms, order: ORDER.program, fire: (sink) => sink.program(channel, program, ms) });
    }
  }

  #pushProgram(batch: Scheduled[], channel: number, program: number, ms: number): void {
    if (this.#programs[channel] === program) return;
    this.#programs[channel] = program;
    batch.push({ ms, order: ORDER.program, fire: (sink) => sink.program(channel, program, ms) });
  }

  #pushOff(batch: Scheduled[], note: Sounding, now: number): void {
    const at = Math.max(now, note.onMs);
    note.offSent = true;
    batch.push({ ms: at, order: ORDER.noteOff, fire: (sink) => sink.noteOff(note.voice, note.pitch, at) });
  }

  #noteSustain(channel: number, controller: number, value: number): void {
    if (controller !== SUSTAIN) return;
    if (value >= 64) this.#sustainDown.add(channel);
    else this.#sustainDown.delete(channel);
  }

  /** Where the current pass ends: the loop end (wrapping) or the end of the music. */
  #endOf(run: Run): { end: number; wraps: boolean } {
    const loop = this.#state.loop;
    if (loop && Math.max(run.cursor, run.notesFrom) < loop.endTicks) return { end: loop.endTicks, wraps: true };
    return { end: this.#plan.endTicks, wraps: false };
  }

  #ensureTimer(): void {
    if (this.#timerRunning) return;
    this.#timerRunning = true;
    this.#deps.timer.start(() => this.#pump(), this.#intervalMs);
  }

  #maybeStopTimer(): void {
    if (!this.#timerRunning || this.#run) return;
    if (this.#sounding.some((note) => !note.offSent && Number.isFinite(note.offMs))) return;
    this.#timerRunning = false;
    this.#deps.timer.stop();
  }

  /** One wake-up of the scheduler: send everything due before now + lookahead. */
  #pump(): void {
    const now = this.#now();
    const horizon = now + this.#lookaheadMs;
    const batch: Scheduled[] = [];
    const run = this.#run;
    if (run) {
      for (let guard = 0; guard < 10_000; guard++) {
        const pass = run.passes[run.passes.length - 1]!;
        const { end, wraps } = this.#endOf(run);
        const to = Math.min(pass.ticksAt(horizon), end);
        if (to > run.cursor) {
          this.#emitWindow(batch, run, pass, run.cursor, to, end, wraps);
          run.cursor = to;
        }
        if (run.cursor < end) break;
        if (wraps) {
          this.#wrap(batch, run, pass, end);
          continue;
        }
        run.endMs ??= pass.msAt(end);
        break;
      }
      if (run.endMs !== null && !run.endSent && run.endMs < horizon) {
        run.endSent = true;
        this.#pushEndOfRun(batch, run, run.endMs);
      }
      while (run.passes.length > 1 && run.passes[1]!.startMs <= now - PASS_HISTORY_MS) run.passes.shift();
    }
    for (const note of this.#sounding) if (!note.offSent && note.offMs < horizon) this.#pushOff(batch, note, note.offMs);
    this.#dispatch(batch);
    this.#sounding = this.#sounding.filter((note) => !note.offSent || note.offMs > now);
    if (this.#run && this.#run === run && run.endMs !== null && now >= run.endMs) this.#finish();
    this.#maybeStopTimer();
  }

  #emitWindow(batch: Scheduled[], run: Run, pass: Pass, from: number, to: number, end: number, wraps: boolean): void {
    const notes = this.#plan.notes;
    while (run.nextNote < notes.length && notes[run.nextNote]!.ticks < to) {
      const note = notes[run.nextNote++]!;
      if (note.ticks < from || note.ticks < run.notesFrom || !this.#audible(note.track)) continue;
      const track = this.#tracks[note.track]!;
      const voice: SinkVoice = { channel: track.channel, program: track.program };
      const onMs = pass.msAt(note.ticks);
      const offTicks = wraps ? Math.min(note.ticks + note.durationTicks, end) : note.ticks + note.durationTicks;
      const offMs = Math.max(pass.msAt(offTicks), onMs + MIN_NOTE_MS);
      batch.push({ ms: onMs, order: ORDER.noteOn, fire: (sink) => sink.noteOn(voice, note.pitch, note.velocity, onMs) });
      this.#sounding.push({ voice, pitch: note.pitch, track: note.track, onMs, offMs, offSent: false });
    }
    const controls = this.#plan.controls;
    while (run.nextControl < controls.length && controls[run.nextControl]!.ticks < to) {
      const change = controls[run.nextControl++]!;
      if (change.ticks < from || change.ticks < run.notesFrom || !this.#audible(change.track)) continue;
      const channel = this.#tracks[change.track]!.channel;
      const ms = pass.msAt(change.ticks);
      batch.push({ ms, order: ORDER.control, fire: (sink) => sink.control(channel, change.controller, change.value, ms) });
      this.#noteSustain(channel, change.controller, change.value);
    }
    if (this.#state.metronome || from < run.countInUntil) {
      for (const beat of beatsInRange(this.#state.meter, from, to)) {
        if (!this.#state.metronome && beat.ticks >= run.countInUntil) break;
        const ms = pass.msAt(beat.ticks);
        const note = this.#sink.clickNote?.(beat.accent);
        if (note) {
          batch.push({ ms, order: ORDER.click, fire: (sink) => sink.noteOn(note.voice, note.pitch, note.velocity, ms) });
          this.#sounding.push({ voice: note.voice, pitch: note.pitch, track: TRACK_CLICK, onMs: ms, offMs: ms + note.lengthMs, offSent: false });
        } else {
          batch.push({ ms, order: ORDER.click, fire: (sink) => sink.click(beat.accent, ms) });
        }
      }
    }
    if (!this.#sink.sendsClock) return;
    if (run.startDue && run.startDue.ticks >= from && run.startDue.ticks < to) {
      this.#pushTransportStart(batch, run.startDue.sixteenth, pass.msAt(run.startDue.ticks));
      run.startDue = null;
      run.clockArmed = true;
    }
    if (!run.clockArmed) return;
    const ppq = this.#ppq();
    const tickOf = (clock: number) => (clock * ppq) / CLOCKS_PER_QUARTER;
    const first = Math.max(from, run.clockFrom);
    let clock = Math.ceil((first * CLOCKS_PER_QUARTER) / ppq);
    while (tickOf(clock - 1) >= first) clock--;
    while (tickOf(clock) < first) clock++;
    for (; tickOf(clock) < to; clock++) {
      const ms = pass.msAt(tickOf(clock));
      batch.push({ ms, order: ORDER.clock, fire: (sink) => sink.clock(ms) });
    }
  }

  #wrap(batch: Scheduled[], run: Run, pass: Pass, end: number): void {
    const loop = this.#state.loop!;
    const wrapMs = pass.msAt(end);
    for (const note of this.#sounding) if (!note.offSent && note.track >= 0 && note.offMs > wrapMs) note.offMs = wrapMs;
    run.passes.push(new Pass(wrapMs, loop.startTicks, this.#mapping));
    run.cursor = loop.startTicks;
    run.nextNote = lowerBound(this.#plan.notes, loop.startTicks);
    run.nextControl = lowerBound(this.#plan.controls, loop.startTicks);
    run.notesFrom = -Infinity;
    run.countInUntil = -Infinity;
    run.endMs = null;
    run.endSent = false;
    if (this.#sink.sendsClock) {
      const sixteenth = this.#sixteenthAtOrAfter(loop.startTicks);
      // Stop, Song Position, Continue (even to 0: Start could reset what the receiver plays).
      if (run.clockArmed) batch.push({ ms: wrapMs, order: ORDER.transport, fire: (sink) => sink.transport('stop', wrapMs) });
      batch.push({ ms: wrapMs, order: ORDER.transport, fire: (sink) => sink.songPosition(sixteenth, wrapMs) });
      batch.push({ ms: wrapMs, order: ORDER.transport, fire: (sink) => sink.transport('continue', wrapMs) });
      run.clockFrom = (sixteenth * this.#ppq()) / 4;
      run.clockArmed = true;
      run.startDue = null;
    }
  }

  /** The music ended (no loop; its Stop was sent timed at the end): stop, and return to the start. */
  #finish(): void {
    this.#run = null;
    this.#silenceSounding();
    this.#maybeStopTimer();
    this.#update({ playing: false, positionTicks: 0 });
  }

  /** All-notes-off on the channels in use, then Stop: what ends a run, at `ms`. */
  #pushEndOfRun(batch: Scheduled[], run: Run, ms: number): void {
    const channels = [...new Set(this.#tracks.map((track) => track.channel))].sort((a, b) => a - b);
    for (const channel of channels) batch.push({ ms, order: ORDER.final, fire: (sink) => sink.control(channel, ALL_NOTES_OFF, 0, ms) });
    if (run.clockArmed && this.#sink.sendsClock) batch.push({ ms, order: ORDER.final, fire: (sink) => sink.transport('stop', ms) });
  }

  /** Note-offs for everything sounding or queued, as soon as each may be sent. */
  #silenceSounding(): void {
    const now = this.#now();
    const batch: Scheduled[] = [];
    for (const note of this.#sounding) if (!note.offSent || note.offMs > now) this.#pushOff(batch, note, now);
    this.#sounding = [];
    this.#dispatch(batch);
  }

  /** Ends the run: note-offs now (or when a queued note starts), then Stop and all-notes-off after the last queued message. */
  #halt(): void {
    const run = this.#run;
    const now = this.#now();
    const batch: Scheduled[] = [];
    for (const note of this.#sounding) if (!note.offSent || note.offMs > now) this.#pushOff(batch, note, now);
    this.#sounding = [];
    for (const channel of this.#sustainDown) batch.push({ ms: now, order: ORDER.control, fire: (sink) => sink.control(channel, SUSTAIN, 0, now) });
    this.#sustainDown.clear();
    this.#run = null;
    const quiet = Math.max(now, this.#lastSentMs, ...batch.map((event) => event.ms));
    if (run && !run.endSent) this.#pushEndOfRun(batch, run, quiet);
    this.#dispatch(batch);
    this.#maybeStopTimer();
  }

  #dispatch(batch: Scheduled[]): void {
    batch.sort((a, b) => a.ms - b.ms || a.order - b.order);
    this.#dispatchInOrder(batch);
  }

  #dispatchInOrder(batch: readonly Scheduled[]): void {
    if (batch.length === 0 || this.#failing) return;
    const sink = this.#sink;
    try {
      for (const event of batch) {
        event.fire(sink);
        if (event.ms > this.#lastSentMs) this.#lastSentMs = event.ms;
      }
    } catch (error) {
      if (sink.kind === 'internal') {
        this.#problem(`The internal synth failed: ${describe(error)}`);
        return;
      }
      this.#failing = true;
      try {
        this.#abandonOutput(`Sending to ${sink.label} failed (${describe(error)}). Playback stopped and switched to the internal synth.`);
      } finally {
        this.#failing = false;
      }
    }
  }
}
