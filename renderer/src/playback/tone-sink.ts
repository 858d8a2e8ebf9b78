/**
 * The internal preview: Tone.js synths, one PolySynth per MIDI channel (so a track's channel and
 * program decide its sound, as on hardware), a membrane + noise kit on channel 10, and a click for
 * the metronome. Each program family gets its own oscillator and envelope: a sketch of General
 * MIDI, not a SoundFont (the .wav export renders with a real one).
 *
 * Tone.js is loaded on first use (its module creates an AudioContext when imported) and started on
 * the first user gesture (browsers keep audio suspended until then). Events that arrive while it
 * loads are queued and played if still due. Times arrive on the performance.now() clock and are
 * mapped onto the audio clock at the moment they are scheduled.
 */
import type * as ToneModule from 'tone';
import type { OutputSink, SinkVoice } from './output-sink';

type Tone = typeof ToneModule;
type Poly = ToneModule.PolySynth<ToneModule.Synth>;

const DRUM_CHANNEL = 9;
const MAX_POLYPHONY = 48;
/** Queued events older than this when Tone.js arrives are dropped rather than played late. */
const STALE_MS = 60;

interface Timbre {
  /** A Tone.js oscillator type: a waveform, with the number of partials to keep it soft. */
  readonly oscillator: string;
  readonly attack: number;
  readonly decay: number;
  readonly sustain: number;
  readonly release: number;
  readonly volume: number;
}

/** A sound per General MIDI family (programs in eights). */
function timbreFor(program: number): Timbre {
  const family = Math.floor(program / 8);
  switch (family) {
    case 0: // piano
      return { oscillator: 'triangle8', attack: 0.004, decay: 0.6, sustain: 0.25, release: 0.35, volume: -4 };
    case 1: // chromatic percussion
      return { oscillator: 'sine', attack: 0.002, decay: 0.5, sustain: 0, release: 0.3, volume: -2 };
    case 2: // organ
      return { oscillator: 'square4', attack: 0.01, decay: 0.05, sustain: 0.9, release: 0.08, volume: -12 };
    case 3: // guitar
      return { oscillator: 'triangle4', attack: 0.003, decay: 0.4, sustain: 0.15, release: 0.25, volume: -4 };
    case 4: // bass
      return { oscillator: 'triangle', attack: 0.005, decay: 0.3, sustain: 0.5, release: 0.15, volume: -2 };
    case 5: // strings
    case 6: // ensemble
      return { oscillator: 'sawtooth6', attack: 0.08, decay: 0.2, sustain: 0.8, release: 0.45, volume: -14 };
    case 7: // brass
      return { oscillator: 'sawtooth8', attack: 0.035, decay: 0.15, sustain: 0.7, release: 0.2, volume: -14 };
    case 8: // reed
      return { oscillator: 'square6', attack: 0.03, decay: 0.1, sustain: 0.75, release: 0.15, volume: -14 };
    case 9: // pipe
      return { oscillator: 'sine', attack: 0.05, decay: 0.1, sustain: 0.85, release: 0.2, volume: -4 };
    case 10: // synth lead
      return { oscillator: 'sawtooth4', attack: 0.005, decay: 0.1, sustain: 0.8, release: 0.1, volume: -14 };
    case 11: // synth pad
      return { oscillator: 'triangle8', attack: 0.3, decay: 0.4, sustain: 0.8, release: 0.9, volume: -8 };
    default:
      return { oscillator: 'triangle', attack: 0.01, decay: 0.3, sustain: 0.5, release: 0.3, volume: -6 };
  }
}

function hz(pitch: number): number {
  return 440 * 2 ** ((pitch - 69) / 12);
}

/** GM drum keys that are cymbals, hats and snares: noise rather than a tuned membrane. */
function isNoiseDrum(pitch: number): boolean {
  return [37, 38, 39, 40, 42, 44, 46, 49, 51, 52, 53, 54, 55, 56, 57, 59, 69, 70].includes(pitch);
}

interface Kit {
  readonly membrane: ToneModule.PolySynth<ToneModule.MembraneSynth>;
  readonly noise: ToneModule.NoiseSynth;
}

/**
 * The instruments, shared by every internal sink (switching outputs back and forth keeps them).
 * `clock` is performance.now(); `load` imports Tone.js (a parameter so nothing loads it in tests).
 */
export class InternalSynth {
  #tone: Tone | null = null;
  #loading: Promise<Tone> | null = null;
  #failed: string | null = null;
  readonly #queue: { readonly ms: number; readonly run: () => void }[] = [];
  readonly #channels = new Map<number, { synth: Poly; program: number }>();
  #kit: Kit | null = null;
  #click: ToneModule.Synth | null = null;
  #master: ToneModule.Volume | null = null;
  /** Told once if Tone.js cannot be loaded (the app shows it as a notice). */
  onProblem: ((message: string) => void) | null = null;

  constructor(
    private readonly load: () => Promise<Tone> = () => import('tone'),
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** Loads Tone.js and resumes its audio context; call from a user gesture (click, key). */
  async start(): Promise<void> {
    const tone = await this.#ensureLoaded();
    await tone.start();
  }

  /**
   * Loads Tone.js without starting audio: evaluating its module takes the main thread for a moment,
   * which is better spent while idle than in the first beats of playback.
   */
  preload(): void {
    this.#ensureLoaded().catch(() => undefined);
  }

  get problem(): string | null {
    return this.#failed;
  }

  #ensureLoaded(): Promise<Tone> {
    this.#loading ??= this.load().then(
      (tone) => {
        this.#tone = tone;
        this.#master = new tone.Volume(-6).toDestination();
        const now = this.clock();
        for (const event of this.#queue.splice(0)) if (event.ms >= now - STALE_MS) event.run();
        return tone;
      },
      (error: unknown) => {
        this.#failed = `The internal synth could not load: ${error instanceof Error ? error.message : String(error)}`;
        this.#queue.length = 0;
        this.onProblem?.(this.#failed);
        throw error;
      },
    );
    return this.#loading;
  }

  /** Runs `action` with Tone.js now, or once it has loaded. */
  #with(ms: number, action: (tone: Tone) => void): void {
    if (this.#failed) return;
    if (this.#tone) {
      action(this.#tone);
      return;
    }
    this.#queue.push({ ms, run: () => action(this.#tone!) });
    this.#ensureLoaded().catch(() => undefined);
  }

  /** Performance-clock milliseconds → audio-clock seconds (never in the past). */
  #audioTime(tone: Tone, ms: number): number {
    const context = tone.getContext().rawContext as BaseAudioContext;
    const current = context.currentTime;
    return Math.max(current, current + (ms - this.clock()) / 1000);
  }

  #channel(tone: Tone, channel: number, program: number): Poly {
    let entry = this.#channels.get(channel);
    if (!entry) {
      const synth = new tone.PolySynth(tone.Synth).connect(this.#master!);
      synth.maxPolyphony = MAX_POLYPHONY;
      entry = { synth, program: -1 };
      this.#channels.set(channel, entry);
    }
    if (entry.program !== program) {
      const timbre = timbreFor(program);
      entry.synth.set({
        oscillator: { type: timbre.oscillator } as ToneModule.SynthOptions['oscillator'],
        envelope: { attack: timbre.attack, decay: timbre.decay, sustain: timbre.sustain, release: timbre.release },
      });
      entry.synth.volume.value = timbre.volume;
      entry.program = program;
    }
    return entry.synth;
  }

  #drumKit(tone: Tone): Kit {
    this.#kit ??= {
      membrane: new tone.PolySynth(tone.MembraneSynth).connect(this.#master!),
      noise: new tone.NoiseSynth({ envelope: { attack: 0.001, decay: 0.12, sustain: 0 }, volume: -10 }).connect(this.#master!),
    };
    return this.#kit;
  }

  program(channel: number, program: number, ms: number): void {
    if (channel === DRUM_CHANNEL) return;
    this.#with(ms, (tone) => this.#channel(tone, channel, program));
  }

  noteOn(voice: SinkVoice, pitch: number, velocity: number, ms: number): void {
    this.#with(ms, (tone) => {
      const time = this.#audioTime(tone, ms);
      const level = velocity / 127;
      if (voice.channel === DRUM_CHANNEL) {
        const kit = this.#drumKit(tone);
        if (isNoiseDrum(pitch)) kit.noise.triggerAttackRelease(0.1, time, level);
        else kit.membrane.triggerAttackRelease(hz(Math.max(24, pitch - 12)), 0.25, time, level);
        return;
      }
      this.#channel(tone, voice.channel, voice.program).triggerAttack(hz(pitch), time, level);
    });
  }

  noteOff(voice: SinkVoice, pitch: number, ms: number): void {
    if (voice.channel === DRUM_CHANNEL) return;
    this.#with(ms, (tone) => this.#channels.get(voice.channel)?.synth.triggerRelease(hz(pitch), this.#audioTime(tone, ms)));
  }

  control(channel: number, controller: number, value: number, ms: number): void {
    this.#with(ms, (tone) => {
      const entry = this.#channels.get(channel);
      if (!entry) return;
      if (controller === 120 || controller === 123) entry.synth.releaseAll(this.#audioTime(tone, ms));
      else if (controller === 7) entry.synth.volume.value = timbreFor(entry.program).volume + 20 * Math.log10(Math.max(1, value) / 100);
      else if (controller === 121) entry.synth.volume.value = timbreFor(entry.program).volume;
    });
  }

  click(accent: boolean, ms: number): void {
    this.#with(ms, (tone) => {
      this.#click ??= new tone.Synth({ oscillator: { type: 'square' }, envelope: { attack: 0.001, decay: 0.03, sustain: 0, release: 0.01 }, volume: -10 }).connect(
        this.#master!,
      );
      this.#click.triggerAttackRelease(accent ? 1760 : 1175, 0.03, this.#audioTime(tone, ms), accent ? 1 : 0.6);
    });
  }

  allOff(ms: number): void {
    this.#queue.length = 0;
    if (!this.#tone) return;
    const time = this.#audioTime(this.#tone, ms);
    for (const { synth } of this.#channels.values()) synth.releaseAll(time);
    this.#kit?.membrane.releaseAll(time);
  }

  latencyMs(): number {
    if (!this.#tone) return 0;
    const context = this.#tone.getContext().rawContext as AudioContext;
    return ((context.baseLatency ?? 0) + (context.outputLatency ?? 0)) * 1000;
  }
}

export function createToneSink(synth: InternalSynth): OutputSink {
  return {
    kind: 'internal',
    label: 'the internal synth',
    sendsClock: false,
    program: (channel, program, atMs) => synth.program(channel, program, atMs),
    noteOn: (voice, pitch, velocity, atMs) => synth.noteOn(voice, pitch, velocity, atMs),
    noteOff: (voice, pitch, atMs) => synth.noteOff(voice, pitch, atMs),
    control: (channel, controller, value, atMs) => synth.control(channel, controller, value, atMs),
    click: (accent, atMs) => synth.click(accent, atMs),
    transport: () => undefined,
    songPosition: () => undefined,
    clock: () => undefined,
    allOff: (atMs) => synth.allOff(atMs),
    latencyMs: () => synth.latencyMs(),
    close: () => synth.allOff(performance.now()),
  };
}
