/**
 * .wav export speed: seconds to render the same MIDI file to a 44.1 kHz 16-bit stereo .wav with the
 * same SoundFont (the built-in FluidR3Mono_GM.sf3), ours (spessasynth_core through the render job's
 * own function, electron/workers/handlers/render-wav.ts) against Debian's fluidsynth fast render
 * (`fluidsynth -ni -F out.wav -r 44100 -T wav <sf3> <mid>`, which reads SF3 through libsndfile).
 *
 * The file is a seeded 60-second piece, so every run renders the same bytes: six tracks (piano
 * chords, string pad, bass, flute melody, brass stabs, drums on channel 10), ~1,300 notes.
 *
 * Both sides are timed cold, as a composer's first export is: fluidsynth loads the SoundFont on every
 * run, and ours drops its cached SoundFont before each run (parse + Vorbis decoding of the samples
 * the piece uses are counted). Median of 3 runs each, after one untimed run (page cache, JIT), the
 * two sides alternating so a busy machine slows both alike. Our
 * warm time (SoundFont cached in the worker, as for every later export) is in the notes. Nothing is
 * installed here: without fluidsynth, ref=none and a note says how to get it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeMidi } from '../core/midi/write-midi';
import { mulberry32 } from '../core/music/split';
import type { Note, Piece, Track } from '../core/music/types';
import { packageSoundFontPath } from '../electron/main/services/audio/sound-font';
import { renderMidiToWavFile, soundFonts } from '../electron/workers/handlers/render-wav';
import type { Bench, BenchResult } from './run';

const SEED = 60;
const SECONDS = 60;
const BPM = 120;
const PPQ = 480;
const RUNS = 3;
const FLUIDSYNTH_MISSING = 'reference missing: fluidsynth is not installed (`npm run bench:refs` installs it).';

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The seeded 60-second, six-track piece. */
export function benchPiece(): Piece {
  const random = mulberry32(SEED);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const beats = (SECONDS * BPM) / 60;
  const secondsPerTick = 60 / BPM / PPQ;
  const note = (ticks: number, durationTicks: number, pitch: number, velocity: number): Note => ({
    ticks,
    durationTicks,
    time: ticks * secondsPerTick,
    duration: durationTicks * secondsPerTick,
    pitch,
    velocity,
  });
  const roots = [48, 53, 55, 57, 50, 52];
  const piano: Note[] = [];
  const strings: Note[] = [];
  const bass: Note[] = [];
  const flute: Note[] = [];
  const brass: Note[] = [];
  const drums: Note[] = [];
  for (let bar = 0; bar < beats / 4; bar++) {
    const root = pick(roots);
    const barTicks = bar * 4 * PPQ;
    for (const interval of [0, 4, 7, 12]) strings.push(note(barTicks, 4 * PPQ, root + interval, 70));
    for (let beat = 0; beat < 4; beat++) {
      const beatTicks = barTicks + beat * PPQ;
      for (const interval of [12, 16, 19]) piano.push(note(beatTicks, PPQ / 2, root + interval, 60 + Math.floor(random() * 40)));
      bass.push(note(beatTicks, PPQ, root - 12 + (beat % 2 === 0 ? 0 : 7), 100));
      drums.push(note(beatTicks, PPQ / 4, beat % 2 === 0 ? 36 : 38, 110));
      for (let eighth = 0; eighth < 2; eighth++) drums.push(note(beatTicks + (eighth * PPQ) / 2, PPQ / 4, 42, 80));
      for (let eighth = 0; eighth < 2; eighth++) {
        flute.push(note(beatTicks + (eighth * PPQ) / 2, PPQ / 2, root + 24 + pick([0, 2, 4, 7, 9, 12]), 90));
      }
    }
    if (bar % 2 === 1) brass.push(note(barTicks + 3 * PPQ, PPQ / 2, root + 12, 110), note(barTicks + 3 * PPQ, PPQ / 2, root + 19, 110));
  }
  const track = (name: string, program: number, channel: number, notes: Note[], isDrum = false): Track => ({
    name,
    program,
    channel,
    isDrum,
    notes,
    controlChanges: [],
  });
  const tracks = [
    track('Piano', 0, 0, piano),
    track('Strings', 48, 1, strings),
    track('Bass', 33, 2, bass),
    track('Flute', 73, 3, flute),
    track('Brass', 61, 4, brass),
    track('Drums', 0, 9, drums, true),
  ];
  const durationTicks = beats * PPQ;
  return {
    name: 'wav-render bench',
    ppq: PPQ,
    tempos: [{ ticks: 0, bpm: BPM }],
    timeSignatures: [{ ticks: 0, numerator: 4, denominator: 4 }],
    keySignatures: [],
    tracks,
    durationTicks,
    duration: durationTicks * secondsPerTick,
  };
}

/** Seconds of audio in a canonical .wav file, and its peak (to check both sides made sound). */
function describeWav(file: string): { seconds: number; peak: number } {
  const bytes = fs.readFileSync(file);
  let offset = 12;
  let format: { channels: number; sampleRate: number; bits: number } | null = null;
  while (offset + 8 <= bytes.length) {
    const id = bytes.subarray(offset, offset + 4).toString('latin1');
    const size = bytes.readUInt32LE(offset + 4);
    if (id === 'fmt ') format = { channels: bytes.readUInt16LE(offset + 10), sampleRate: bytes.readUInt32LE(offset + 12), bits: bytes.readUInt16LE(offset + 22) };
    if (id === 'data' && format) {
      const end = Math.min(bytes.length, offset + 8 + size);
      let peak = 0;
      for (let i = offset + 8; i + 1 < end; i += 2) peak = Math.max(peak, Math.abs(bytes.readInt16LE(i)));
      return { seconds: (end - offset - 8) / (format.channels * (format.bits / 8)) / format.sampleRate, peak: peak / 32768 };
    }
    offset += 8 + size + (size % 2);
  }
  throw new Error(`${file} has no fmt and data chunks.`);
}

function hasFluidsynth(): boolean {
  return spawnSync('fluidsynth', ['--version'], { stdio: 'ignore' }).status === 0;
}

async function timeOurs(midi: Uint8Array, soundFont: string, output: string, cold: boolean): Promise<number> {
  if (cold) soundFonts.clear();
  const start = performance.now();
  await renderMidiToWavFile({ midi, soundFontPath: soundFont, outputPath: output });
  return (performance.now() - start) / 1000;
}

function timeFluidsynth(midiFile: string, soundFont: string, output: string): number {
  const start = performance.now();
  const run = spawnSync('fluidsynth', ['-ni', '-q', '-F', output, '-r', '44100', '-T', 'wav', '-O', 's16', soundFont, midiFile], { encoding: 'utf8' });
  const seconds = (performance.now() - start) / 1000;
  if (run.status !== 0) throw new Error(`fluidsynth failed (${run.status}): ${(run.stderr || run.stdout).trim().slice(0, 500)}`);
  return seconds;
}

async function wavRender(): Promise<BenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-bench-wav-'));
  try {
    const piece = benchPiece();
    const midi = writeMidi(piece);
    const midiFile = path.join(dir, 'bench.mid');
    fs.writeFileSync(midiFile, midi);
    const soundFont = packageSoundFontPath();
    const oursFile = path.join(dir, 'ours.wav');
    const refFile = path.join(dir, 'fluidsynth.wav');
    const notes = piece.tracks.reduce((sum, track) => sum + track.notes.length, 0);

    const fluidsynth = hasFluidsynth();
    // Untimed first runs, then the two sides alternate so both see the same load on a shared machine.
    await timeOurs(midi, soundFont, oursFile, true);
    if (fluidsynth) timeFluidsynth(midiFile, soundFont, refFile);
    const cold: number[] = [];
    const refTimes: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      cold.push(await timeOurs(midi, soundFont, oursFile, true));
      if (fluidsynth) refTimes.push(timeFluidsynth(midiFile, soundFont, refFile));
    }
    const warm: number[] = [];
    for (let run = 0; run < RUNS; run++) warm.push(await timeOurs(midi, soundFont, oursFile, false));
    const ours = median(cold);
    const oursWav = describeWav(oursFile);

    const lines = [
      `the same ${piece.duration.toFixed(0)} s piece (seed ${SEED}: 6 tracks incl. drums, ${notes} notes) and SoundFont (FluidR3Mono_GM.sf3, ${(fs.statSync(soundFont).size / 1e6).toFixed(1)} MB); median of ${RUNS} cold runs each, alternating; load average ${os.loadavg()[0]!.toFixed(1)} on ${os.availableParallelism()} cores`,
      `ours (spessasynth_core, 1 thread): ${(piece.duration / ours).toFixed(1)}× real time cold, ${(piece.duration / median(warm)).toFixed(1)}× warm (${median(warm).toFixed(3)} s, SoundFont cached as in the worker); wrote ${oursWav.seconds.toFixed(2)} s, peak ${oursWav.peak.toFixed(3)}`,
    ];
    let ref: number | null = null;
    if (fluidsynth) {
      ref = median(refTimes);
      const refWav = describeWav(refFile);
      lines.push(
        `fluidsynth -F (fast render, its default settings): ${(piece.duration / ref).toFixed(1)}× real time; wrote ${refWav.seconds.toFixed(2)} s, peak ${refWav.peak.toFixed(3)}`,
      );
    } else {
      lines.push(FLUIDSYNTH_MISSING);
    }
    return { ours, ref, unit: 's', note: lines.join('\n') };
  } finally {
    soundFonts.clear();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const benches: Bench[] = [{ name: 'wav-render', run: wavRender }];
