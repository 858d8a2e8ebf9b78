/**
 * Worker side of .wav export: the piece is written as a Standard MIDI File (core/midi/write-midi.ts),
 * played offline through spessasynth_core with a General MIDI SoundFont, and written as a 44.1 kHz
 * 16-bit stereo RIFF/WAVE file, block by block, so memory stays flat however long the piece is.
 *
 * - Time starts at 0 (the sequencer does not skip to the first note), so the audio lines up with the
 *   MIDI file exported beside it.
 * - After the music, RELEASE_TAIL_SECONDS more are rendered for releases and reverb, and whatever of
 *   that tail stays below SILENCE_THRESHOLD to the end is cut.
 * - Float samples go to 16 bits through a soft knee above KNEE: loud passages bend instead of
 *   wrapping or clicking, and nothing below the knee changes.
 * - The file is written as `<output>.part` and renamed when complete: a cancelled or failed render
 *   leaves nothing a reader could mistake for a finished file.
 * - The parsed SoundFont stays cached in the worker (parsing, and the Vorbis decoding of the samples
 *   a piece uses, is most of a short render's time) until SOUND_FONT_IDLE_MS pass without a render:
 *   the decoded FluidR3Mono is ~250 MB of Float32 samples when every instrument has been used.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BasicMIDI, SoundBankLoader, SpessaLog, SpessaSynthProcessor, SpessaSynthSequencer, type BasicSoundBank } from 'spessasynth_core';
import { writeMidi } from '../../../core/midi/write-midi';
import type { JobContext } from '../runtime';
import { WAV_SAMPLE_RATE, type RenderWavInput, type RenderWavPayload, type RenderWavWorkerResult } from '../../../core/jobs/render-wav';

export { RENDER_WAV_JOB } from '../../../core/jobs/render-wav';
export const SAMPLE_RATE = WAV_SAMPLE_RATE;
export const CHANNELS = 2;
export const BITS_PER_SAMPLE = 16;
export const RELEASE_TAIL_SECONDS = 2;
/** About -60 dBFS: quieter than any listener hears at the end of a piece. */
export const SILENCE_THRESHOLD = 0.001;
/** Where the soft clipper starts bending. */
export const KNEE = 0.9;
const WAV_HEADER_BYTES = 44;
/** The synthesizer's own block: modulators and LFOs update once per block, so it stays small. */
const SYNTH_BLOCK_FRAMES = 128;
/** Frames converted and written at once (~0.37 s), and how often cancel and progress are looked at. */
const WRITE_CHUNK_FRAMES = SYNTH_BLOCK_FRAMES * 128;
const SOUND_FONT_IDLE_MS = 10 * 60_000;
const IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;


// The library logs to the console by default; a worker's console is the studio's terminal.
SpessaLog.infoEnabled = false;
SpessaLog.warnEnabled = false;
SpessaLog.groupEnabled = false;

export async function renderWav(rawPayload: unknown, context: JobContext): Promise<RenderWavWorkerResult> {
  const payload = rawPayload as Partial<RenderWavPayload> | null;
  const input = context.input as Partial<RenderWavInput> | undefined;
  if (typeof payload?.soundFontPath !== 'string' || payload.soundFontPath === '') throw new Error('The render job started without a SoundFont.');
  if (!input?.piece || typeof input.outputPath !== 'string') throw new Error('The render job started without its music.');
  const midi = writeMidi(input.piece);
  return renderMidiToWavFile({
    midi,
    soundFontPath: payload.soundFontPath,
    outputPath: input.outputPath,
    onProgress: (fraction, message) => context.progress(fraction, message),
    throwIfCancelled: () => context.throwIfCancelled(),
  });
}

export interface RenderOptions {
  readonly midi: Uint8Array;
  readonly soundFontPath: string;
  readonly outputPath: string;
  readonly onProgress?: (fraction: number, message: string) => void;
  /** Called between chunks; throwing stops the render (the partial file is removed). */
  readonly throwIfCancelled?: () => void;
}

/** Renders a Standard MIDI File to a .wav file; the same path the studio's job and the benchmark use. */
export async function renderMidiToWavFile(options: RenderOptions): Promise<RenderWavWorkerResult> {
  const { outputPath, onProgress = () => undefined, throwIfCancelled = () => undefined } = options;
  // Samples go to the file as the Int16Array's own bytes, which RIFF wants little-endian.
  if (!IS_LITTLE_ENDIAN) throw new Error('Rendering .wav files needs a little-endian machine.');
  onProgress(0, 'Loading the SoundFont…');
  // The Vorbis decoder of SF3 samples starts with the first synthesizer: wait for it before any sample is decoded.
  const synth = new SpessaSynthProcessor(SAMPLE_RATE, { eventsEnabled: false, maxBufferSize: SYNTH_BLOCK_FRAMES });
  await synth.processorInitialized;
  const bank = soundFonts.get(options.soundFontPath);
  throwIfCancelled();
  synth.soundBankManager.addSoundBank(bank, 'main');

  const midi = BasicMIDI.fromArrayBuffer(toArrayBuffer(options.midi));
  const sequencer = new SpessaSynthSequencer(synth);
  sequencer.skipToFirstNoteOn = false;
  sequencer.loopCount = 0;
  onProgress(0, 'Preparing instruments…');
  sequencer.loadNewSongList([midi]);
  sequencer.play();

  const musicFrames = Math.max(0, Math.ceil(midi.duration * SAMPLE_RATE));
  const tailFrames = RELEASE_TAIL_SECONDS * SAMPLE_RATE;
  const totalSeconds = (musicFrames + tailFrames) / SAMPLE_RATE;
  const left = new Float32Array(WRITE_CHUNK_FRAMES);
  const right = new Float32Array(WRITE_CHUNK_FRAMES);
  const pcm = new Int16Array(WRITE_CHUNK_FRAMES * CHANNELS);
  /** Renders `frames` into left/right from index 0. */
  const renderInto = (frames: number): void => {
    for (let offset = 0; offset < frames; offset += SYNTH_BLOCK_FRAMES) {
      const count = Math.min(SYNTH_BLOCK_FRAMES, frames - offset);
      sequencer.processTick();
      synth.process(left, right, offset, count);
    }
  };

  const partPath = `${outputPath}.part`;
  fs.mkdirSync(path.dirname(outputPath), { recursive: true });
  const file = fs.openSync(partPath, 'w');
  let completed = false;
  try {
    fs.writeSync(file, new Uint8Array(WAV_HEADER_BYTES)); // the real header once the length is known
    let framesWritten = 0;
    while (framesWritten < musicFrames) {
      throwIfCancelled();
      const frames = Math.min(WRITE_CHUNK_FRAMES, musicFrames - framesWritten);
      left.fill(0, 0, frames);
      right.fill(0, 0, frames);
      renderInto(frames);
      interleavePcm16(left, right, frames, pcm);
      writeAll(file, pcm, frames * CHANNELS);
      framesWritten += frames;
      onProgress(framesWritten / (musicFrames + tailFrames), `Rendering ${formatSeconds(framesWritten / SAMPLE_RATE)} of ${formatSeconds(totalSeconds)}…`);
    }

    // The tail is kept whole so its silent end can be cut before it is written.
    const tail = new Int16Array(tailFrames * CHANNELS);
    for (let done = 0; done < tailFrames; ) {
      throwIfCancelled();
      const frames = Math.min(WRITE_CHUNK_FRAMES, tailFrames - done);
      left.fill(0, 0, frames);
      right.fill(0, 0, frames);
      renderInto(frames);
      interleavePcm16(left, right, frames, tail.subarray(done * CHANNELS));
      done += frames;
    }
    const keptTailFrames = audibleFrames(tail, CHANNELS, pcmThreshold(SILENCE_THRESHOLD));
    writeAll(file, tail, keptTailFrames * CHANNELS);
    framesWritten += keptTailFrames;

    const dataBytes = framesWritten * CHANNELS * (BITS_PER_SAMPLE / 8);
    fs.writeSync(file, wavHeader({ dataBytes, sampleRate: SAMPLE_RATE, channels: CHANNELS, bitsPerSample: BITS_PER_SAMPLE }), 0, WAV_HEADER_BYTES, 0);
    fs.closeSync(file);
    fs.renameSync(partPath, outputPath);
    completed = true;
    onProgress(1, 'Rendered.');
    return { durationSeconds: framesWritten / SAMPLE_RATE, bytes: WAV_HEADER_BYTES + dataBytes, sampleRate: SAMPLE_RATE };
  } finally {
    if (!completed) {
      try {
        fs.closeSync(file);
      } catch {
        // Already closed.
      }
      fs.rmSync(partPath, { force: true });
    }
  }
}

function writeAll(file: number, samples: Int16Array, count: number): void {
  const bytes = new Uint8Array(samples.buffer, samples.byteOffset, count * Int16Array.BYTES_PER_ELEMENT);
  let written = 0;
  while (written < bytes.length) written += fs.writeSync(file, bytes, written, bytes.length - written);
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

function formatSeconds(seconds: number): string {
  return `${seconds.toFixed(1)} s`;
}

// ---- The SoundFont cache ----------------------------------------------------------------------

interface CachedSoundFont {
  readonly key: string;
  readonly bank: BasicSoundBank;
}

class SoundFontCache {
  #cached: CachedSoundFont | null = null;
  #idleTimer: NodeJS.Timeout | null = null;

  /** The parsed SoundFont at `file`, from the cache when the file has not changed since. */
  get(file: string): BasicSoundBank {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch (error) {
      throw new Error(`The SoundFont ${file} cannot be read: ${describeFsError(error)}. Choose another one in Settings, or clear the setting to use the built-in General MIDI SoundFont.`);
    }
    if (!stat.isFile()) throw new Error(`The SoundFont ${file} is not a file.`);
    const key = `${file}\n${stat.size}\n${stat.mtimeMs}`;
    if (this.#cached?.key !== key) {
      // Only one SoundFont is kept: drop the old one before parsing the next, not after.
      this.#cached = null;
      this.#cached = { key, bank: parseSoundFont(file) };
    }
    this.#scheduleRelease();
    return this.#cached.bank;
  }

  /** Forgets the cached SoundFont (the benchmark times cold renders with this). */
  clear(): void {
    this.#cached = null;
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    this.#idleTimer = null;
  }

  #scheduleRelease(): void {
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => this.clear(), SOUND_FONT_IDLE_MS);
    this.#idleTimer.unref();
  }
}

function parseSoundFont(file: string): BasicSoundBank {
  const bytes = fs.readFileSync(file);
  const riff = bytes.subarray(0, 4).toString('latin1');
  const form = bytes.subarray(8, 12).toString('latin1');
  if (riff !== 'RIFF' || (form !== 'sfbk' && form !== 'DLS ' && form !== 'sfpk')) {
    throw new Error(`${path.basename(file)} is not a SoundFont: an .sf2, .sf3 or .dls file starts with a RIFF "sfbk" or "DLS " header.`);
  }
  let bank: BasicSoundBank;
  try {
    bank = SoundBankLoader.fromArrayBuffer(toArrayBuffer(bytes));
  } catch (error) {
    throw new Error(`The SoundFont ${path.basename(file)} could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (bank.presets.length === 0) throw new Error(`The SoundFont ${path.basename(file)} has no instruments (presets).`);
  return bank;
}

function describeFsError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT') return 'there is no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}

export const soundFonts = new SoundFontCache();

// ---- PCM and RIFF/WAVE (pure, unit-tested) ------------------------------------------------------

/**
 * The soft clipper: the identity up to KNEE, then a tanh curve that approaches 1 without reaching
 * it, so samples over full scale bend instead of wrapping around (as a plain Int16 cast would) or
 * squaring off with a hard edge. Continuous with slope 1 at the knee; odd; NaN becomes silence.
 */
export function softClip(sample: number): number {
  if (Number.isNaN(sample)) return 0;
  const magnitude = Math.abs(sample);
  if (magnitude <= KNEE) return sample;
  const headroom = 1 - KNEE;
  const bent = KNEE + headroom * Math.tanh((magnitude - KNEE) / headroom);
  return sample < 0 ? -bent : bent;
}

/** A float sample (full scale ±1) as a 16-bit one, through the soft clipper; rounded symmetrically about 0. */
export function toPcm16(sample: number): number {
  const scaled = softClip(sample) * 32767;
  return scaled < 0 ? -Math.round(-scaled) : Math.round(scaled);
}

/** Interleaves `frames` frames of left/right into 16-bit PCM (L R L R …) in `out`. */
export function interleavePcm16(left: Float32Array, right: Float32Array, frames: number, out: Int16Array): void {
  if (out.length < frames * 2) throw new RangeError(`The PCM buffer holds ${out.length / 2} frames, not ${frames}.`);
  for (let frame = 0; frame < frames; frame++) {
    out[frame * 2] = toPcm16(left[frame]!);
    out[frame * 2 + 1] = toPcm16(right[frame]!);
  }
}

/** A float threshold as a 16-bit amplitude. */
export function pcmThreshold(threshold: number): number {
  return Math.round(threshold * 32767);
}

/** How many frames of interleaved PCM to keep: up to and including the last one where any channel exceeds `threshold`. */
export function audibleFrames(samples: Int16Array, channels: number, threshold: number): number {
  for (let index = samples.length - 1; index >= 0; index--) {
    if (Math.abs(samples[index]!) > threshold) return Math.floor(index / channels) + 1;
  }
  return 0;
}

export interface WavFormat {
  readonly dataBytes: number;
  readonly sampleRate: number;
  readonly channels: number;
  readonly bitsPerSample: number;
}

/** The 44-byte header of a canonical PCM RIFF/WAVE file whose data chunk holds `dataBytes`. */
export function wavHeader({ dataBytes, sampleRate, channels, bitsPerSample }: WavFormat): Uint8Array {
  const blockAlign = channels * (bitsPerSample / 8);
  if (!Number.isInteger(dataBytes) || dataBytes < 0 || dataBytes % blockAlign !== 0) {
    throw new RangeError(`A data chunk of ${dataBytes} bytes is not a whole number of ${blockAlign}-byte frames.`);
  }
  if (WAV_HEADER_BYTES - 8 + dataBytes > 0xffff_ffff) throw new RangeError('The audio is too long for a .wav file (4 GiB).');
  const header = new Uint8Array(WAV_HEADER_BYTES);
  const view = new DataView(header.buffer);
  const ascii = (offset: number, text: string): void => {
    for (let i = 0; i < text.length; i++) header[offset + i] = text.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, WAV_HEADER_BYTES - 8 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true); // fmt chunk size
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * blockAlign, true); // byte rate
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, bitsPerSample, true);
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  return header;
}

/** A whole .wav file in memory (tests, small clips): header + interleaved 16-bit PCM. */
export function encodeWav(channelData: readonly Float32Array[], sampleRate: number): Uint8Array {
  if (channelData.length !== 2) throw new RangeError('encodeWav writes stereo: pass left and right.');
  const [left, right] = channelData as [Float32Array, Float32Array];
  if (left.length !== right.length) throw new RangeError('Left and right differ in length.');
  const pcm = new Int16Array(left.length * 2);
  interleavePcm16(left, right, left.length, pcm);
  const header = wavHeader({ dataBytes: pcm.byteLength, sampleRate, channels: 2, bitsPerSample: 16 });
  const file = new Uint8Array(header.length + pcm.byteLength);
  file.set(header);
  file.set(new Uint8Array(pcm.buffer), header.length);
  return file;
}
