// .wav export through the real worker: the file's format, its length and loudness, that programs and
// drums change what is heard, cancel, bad SoundFonts, and the audio.* methods' errors.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../core/ipc/schemas';
import type { Note, Piece, Track } from '../../core/music/types';
import { writeMidiFile } from '../support/midi-fixtures';
import { startStudio, type StudioHarness } from '../support/studio-harness';

const PPQ = 480;
const TAIL_SECONDS = 2;

/** A quarter note each at 120 bpm: 0.5 s apiece. */
function track(pitches: readonly number[], options: { program?: number; channel?: number; isDrum?: boolean; name?: string } = {}): Track {
  const notes: Note[] = pitches.map((pitch, index) => ({
    ticks: index * PPQ,
    durationTicks: PPQ,
    time: index * 0.5,
    duration: 0.5,
    pitch,
    velocity: 100,
  }));
  return {
    name: options.name ?? 'Voice',
    program: options.program ?? 0,
    channel: options.channel ?? 0,
    isDrum: options.isDrum ?? false,
    notes,
    controlChanges: [],
  };
}

function piece(name: string, tracks: readonly Track[]): Piece {
  const durationTicks = Math.max(...tracks.map((t) => t.notes.length)) * PPQ;
  return {
    name,
    ppq: PPQ,
    tempos: [{ ticks: 0, bpm: 120 }],
    timeSignatures: [{ ticks: 0, numerator: 4, denominator: 4 }],
    keySignatures: [],
    tracks,
    durationTicks,
    duration: durationTicks / PPQ / 2,
  };
}

interface Wav {
  readonly format: number;
  readonly channels: number;
  readonly sampleRate: number;
  readonly byteRate: number;
  readonly blockAlign: number;
  readonly bitsPerSample: number;
  readonly riffSize: number;
  readonly dataBytes: number;
  readonly samples: Int16Array;
  readonly seconds: number;
}

function readWav(bytes: Buffer): Wav {
  expect(bytes.subarray(0, 4).toString('latin1')).toBe('RIFF');
  expect(bytes.subarray(8, 12).toString('latin1')).toBe('WAVE');
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('fmt ');
  expect(bytes.readUInt32LE(16)).toBe(16);
  expect(bytes.subarray(36, 40).toString('latin1')).toBe('data');
  const dataBytes = bytes.readUInt32LE(40);
  const channels = bytes.readUInt16LE(22);
  const samples = new Int16Array(dataBytes / 2);
  for (let i = 0; i < samples.length; i++) samples[i] = bytes.readInt16LE(44 + i * 2);
  return {
    format: bytes.readUInt16LE(20),
    channels,
    sampleRate: bytes.readUInt32LE(24),
    byteRate: bytes.readUInt32LE(28),
    blockAlign: bytes.readUInt16LE(32),
    bitsPerSample: bytes.readUInt16LE(34),
    riffSize: bytes.readUInt32LE(4),
    dataBytes,
    samples,
    seconds: samples.length / channels / bytes.readUInt32LE(24),
  };
}

/** RMS (full scale 1) of both channels between two times. */
function rms(wav: Wav, fromSeconds: number, toSeconds: number): number {
  const from = Math.max(0, Math.floor(fromSeconds * wav.sampleRate)) * wav.channels;
  const to = Math.min(wav.samples.length, Math.floor(toSeconds * wav.sampleRate) * wav.channels);
  let sum = 0;
  for (let i = from; i < to; i++) sum += (wav.samples[i]! / 32768) ** 2;
  return to > from ? Math.sqrt(sum / (to - from)) : 0;
}

/** RMS of a − b over their common length, relative to the RMS of a: 0 when equal, ~1.4 for unrelated signals. */
function relativeDifference(a: Wav, b: Wav): number {
  const length = Math.min(a.samples.length, b.samples.length);
  let difference = 0;
  let energy = 0;
  for (let i = 0; i < length; i++) {
    difference += (a.samples[i]! - b.samples[i]!) ** 2;
    energy += a.samples[i]! ** 2;
  }
  return Math.sqrt(difference / energy);
}

let harness: StudioHarness;
let savedTo: string[] = [];

beforeAll(() => {
  harness = startStudio({
    poolSize: 2,
    chooseWavSavePath: async (name) => {
      const target = path.join(harness.dir, 'exports', name);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      savedTo.push(target);
      return target;
    },
  });
});
afterAll(async () => {
  await harness.dispose();
});

function addClip(music: Piece): number {
  return harness.studio.clips.insert({ name: music.name, modelId: null, music });
}

async function render(source: { clipId: number } | { pieceId: number }): Promise<{ job: Job; wav: Wav }> {
  const { jobId } = await harness.studio.handlers['audio.renderWav']({ source });
  const job = await harness.waitForJob(jobId);
  expect(job.error).toBeNull();
  expect(job.status).toBe('done');
  const file = await harness.studio.handlers['audio.wav']({ jobId });
  return { job, wav: readWav(Buffer.from(file.base64, 'base64')) };
}

const ARPEGGIO = [60, 64, 67, 72]; // 2 s of music

describe('audio.renderWav', () => {
  let piano: { job: Job; wav: Wav };

  beforeAll(async () => {
    piano = await render({ clipId: addClip(piece('Arpeggio', [track(ARPEGGIO, { program: 0 })])) });
  });

  it('writes a 44.1 kHz 16-bit stereo PCM WAV whose header matches its data and the job result', () => {
    const { job, wav } = piano;
    expect(wav).toMatchObject({ format: 1, channels: 2, sampleRate: 44_100, bitsPerSample: 16, blockAlign: 4, byteRate: 44_100 * 4 });
    expect(wav.riffSize).toBe(36 + wav.dataBytes);
    expect(job.result).toMatchObject({
      kind: 'render-wav',
      fileName: 'Arpeggio.wav',
      sampleRate: 44_100,
      bytes: 44 + wav.dataBytes,
      soundFont: 'FluidR3Mono GM (built-in)',
    });
    expect(job.result?.kind === 'render-wav' && job.result.durationSeconds).toBeCloseTo(wav.seconds, 6);
    expect(job.title).toBe('Render Arpeggio.wav');
  });

  it('lasts the music plus at most the release tail, is loud where the notes are and near silent at its end', () => {
    const { wav } = piano;
    // 2 s of music, then up to 2 s of release and reverb trimmed where it falls below -60 dBFS.
    expect(wav.seconds).toBeGreaterThan(2.05);
    expect(wav.seconds).toBeLessThanOrEqual(2 + TAIL_SECONDS + 0.01);
    for (let note = 0; note < 4; note++) {
      expect(rms(wav, note * 0.5 + 0.05, note * 0.5 + 0.4), `note ${note}`).toBeGreaterThan(0.01);
    }
    // The last 50 ms: below -54 dBFS and 26 dB under the notes.
    const end = rms(wav, wav.seconds - 0.05, wav.seconds);
    expect(end).toBeLessThan(0.002);
    expect(end).toBeLessThan(rms(wav, 0.05, 1.9) / 20);
    // The first note starts at 0: nothing is skipped before it.
    expect(rms(wav, 0, 0.1)).toBeGreaterThan(0.005);
  });

  it('renders the same clip to the same samples, and a different program (flute) to clearly different ones', async () => {
    const again = await render({ clipId: addClip(piece('Arpeggio again', [track(ARPEGGIO, { program: 0 })])) });
    expect(relativeDifference(piano.wav, again.wav)).toBe(0);
    const flute = await render({ clipId: addClip(piece('Arpeggio on flute', [track(ARPEGGIO, { program: 73 })])) });
    expect(rms(flute.wav, 0.05, 1.9)).toBeGreaterThan(0.01);
    expect(relativeDifference(piano.wav, flute.wav)).toBeGreaterThan(0.5);
  });

  it('plays drums on channel 10: audible, and unlike the same notes on a melodic channel', async () => {
    const kit = [36, 38, 42, 46, 36, 38, 49, 42];
    const drums = await render({ clipId: addClip(piece('Beat', [track(kit, { isDrum: true, channel: 9, name: 'Drums' })])) });
    for (let hit = 0; hit < kit.length; hit++) {
      expect(rms(drums.wav, hit * 0.5, hit * 0.5 + 0.2), `hit ${hit}`).toBeGreaterThan(0.005);
    }
    const melodic = await render({ clipId: addClip(piece('Not a beat', [track(kit, { channel: 0, program: 0 })])) });
    expect(relativeDifference(drums.wav, melodic.wav)).toBeGreaterThan(0.5);
  });

  it('renders an imported piece and saves it through the save dialog (Electron) with the piece’s name', async () => {
    writeMidiFile(path.join(harness.dir, 'in', 'Little tune.mid'), 3, 6);
    const { jobId: importJob } = await harness.studio.handlers['corpora.importPaths']({ corpusName: 'Tunes', paths: [path.join(harness.dir, 'in')] });
    await harness.waitForJob(importJob);
    const corpus = (await harness.studio.handlers['corpora.list'](undefined)).find((c) => c.name === 'Tunes')!;
    const [summary] = await harness.studio.handlers['corpora.pieces']({ corpusId: corpus.id });
    const { job, wav } = await render({ pieceId: summary!.id });
    expect(job.result).toMatchObject({ fileName: 'Little tune.wav' });
    expect(wav.seconds).toBeGreaterThan(summary!.durationSeconds);
    expect(rms(wav, 0, summary!.durationSeconds)).toBeGreaterThan(0.005);

    savedTo = [];
    const saved = await harness.studio.handlers['audio.exportWav']({ jobId: job.id });
    expect(saved.savedTo).toBe(path.join(harness.dir, 'exports', 'Little tune.wav'));
    expect(fs.readFileSync(saved.savedTo!)).toEqual(fs.readFileSync(path.join(harness.dir, 'renders', `${job.id}.wav`)));
  });

  it('stops a long render when cancelled and leaves no file', async () => {
    // Five minutes of chords: long enough to be caught while it renders.
    const long = Array.from({ length: 600 }, (_, i) => 48 + (i % 24));
    const clipId = addClip(piece('Long', [track(long, { program: 48 }), track(long.map((p) => p + 12), { program: 0, channel: 1 })]));
    const { jobId } = await harness.studio.handlers['audio.renderWav']({ source: { clipId } });
    await waitUntil(() => {
      const job = harness.studio.jobs.get(jobId);
      return job?.status === 'running' && job.progress > 0.01;
    });
    await harness.studio.handlers['jobs.cancel']({ jobId });
    const job = await harness.waitForJob(jobId);
    expect(job.status).toBe('cancelled');
    expect(job.result).toBeNull();
    expect(fs.readdirSync(path.join(harness.dir, 'renders')).filter((name) => name.startsWith(`${jobId}.`))).toEqual([]);
    await expect(attempt(() => harness.studio.handlers['audio.wav']({ jobId }))).rejects.toThrow(/was cancelled/);
  });

  it('fails with a clear error for a SoundFont that is missing or is not a SoundFont, and renders again once cleared', async () => {
    const clipId = addClip(piece('Short', [track([60, 62])]));
    const missing = path.join(harness.dir, 'nowhere', 'Missing.sf2');
    harness.studio.handlers['settings.update']({ soundFontPath: missing });
    const first = await harness.studio.handlers['audio.renderWav']({ source: { clipId } });
    const failed = await harness.waitForJob(first.jobId);
    expect(failed.status).toBe('failed');
    expect(failed.error).toContain(missing);
    expect(failed.error).toMatch(/no such file/);
    await expect(attempt(() => harness.studio.handlers['audio.wav']({ jobId: first.jobId }))).rejects.toThrow(/failed: The SoundFont/);

    const notSoundFont = path.join(harness.dir, 'notes.sf2');
    fs.writeFileSync(notSoundFont, 'These are notes, not samples.\n'.repeat(10));
    harness.studio.handlers['settings.update']({ soundFontPath: notSoundFont });
    const second = await harness.studio.handlers['audio.renderWav']({ source: { clipId } });
    const failedAgain = await harness.waitForJob(second.jobId);
    expect(failedAgain.status).toBe('failed');
    expect(failedAgain.error).toMatch(/notes\.sf2 is not a SoundFont/);

    harness.studio.handlers['settings.update']({ soundFontPath: null });
    const { job } = await render({ clipId });
    expect(job.result).toMatchObject({ soundFont: 'FluidR3Mono GM (built-in)' });
  });

  it('says why there is no file for unknown jobs, other kinds of jobs and unknown music', async () => {
    await expect(attempt(() => harness.studio.handlers['audio.wav']({ jobId: 999_999 }))).rejects.toThrow('There is no job 999999.');
    const importJob = harness.studio.jobs.list().find((job) => job.kind === 'import-midi')!;
    await expect(attempt(() => harness.studio.handlers['audio.wav']({ jobId: importJob.id }))).rejects.toThrow(/is not a \.wav render/);
    await expect(attempt(() => harness.studio.handlers['audio.renderWav']({ source: { clipId: 999_999 } }))).rejects.toThrow('There is no clip 999999.');
    await expect(attempt(() => harness.studio.handlers['audio.renderWav']({ source: { pieceId: 999_999 } }))).rejects.toThrow('There is no piece 999999.');
  });
});

describe('audio.exportWav in browser mode', () => {
  it('points to the download instead', async () => {
    const browser = startStudio();
    try {
      await expect(attempt(() => browser.studio.handlers['audio.exportWav']({ jobId: 1 }))).rejects.toThrow(/only in the desktop app/);
    } finally {
      await browser.dispose();
    }
  });
});

/** A handler's outcome as a promise, whether it throws or rejects. */
function attempt<T>(call: () => T | Promise<T>): Promise<T> {
  return Promise.resolve().then(call);
}

async function waitUntil(condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('Timed out waiting.');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
