/**
 * MIDI import speed: seconds to read, SHA-256 and parse every file, as the import worker does, ours
 * (core/midi/parse-midi.ts) against Debian's python3-mido doing the same in bench/refs/mido_parse.py,
 * in the same run on the same files.
 *
 * - midi-import: the 382 JSB chorales (skipped when ../shared/corpora is absent).
 * - midi-import-2000: 2,000 generated multi-track files (8 tracks × 200 notes + control changes,
 *   seeded, so every run parses the same bytes), written to a temporary folder and removed after.
 *
 * Each side first parses some files untimed (page cache, JIT): all of the JSB chorales, the first 100
 * generated files. Then the whole set is parsed 3 times (JSB) or once (the generated set, which takes
 * long) and the median is reported. Nothing is installed here: without mido, ref=none and a note says
 * how to get it.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseMidi } from '../core/midi/parse-midi';
import { writeMidi } from '../core/midi/write-midi';
import { mulberry32 } from '../core/music/split';
import type { ControlChange, Note, Piece, Track } from '../core/music/types';
import type { Bench, BenchResult, BenchSkipped } from './run';

const PROJECT_ROOT = path.resolve(__dirname, '..');
const JSB_MIDI_ROOT = path.resolve(PROJECT_ROOT, '../shared/corpora/jsb_chorales/midi_16th_satb');
const MIDO_SCRIPT = path.join(__dirname, 'refs/mido_parse.py');

interface Plan {
  readonly label: string;
  readonly repeats: number;
  readonly warmupFiles: number;
}
const GENERATED_FILES = 2000;
const GENERATED_SEED = 2024;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function midiFilesUnder(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.midi?$/i.test(entry.name)) found.push(full);
    }
  };
  walk(root);
  return found.sort();
}

interface ImportRun {
  /** Notes read, to check both sides did the work. */
  readonly notes: number;
  /** Where the time went, in seconds: reading files, SHA-256, parsing. */
  readonly read: number;
  readonly hash: number;
  readonly parse: number;
}

/** What the import worker does per file: read, hash, parse. */
async function importAll(files: readonly string[]): Promise<ImportRun> {
  let notes = 0;
  let read = 0;
  let hash = 0;
  let parse = 0;
  for (const file of files) {
    const start = performance.now();
    const bytes = fs.readFileSync(file); // as the import worker reads
    const readDone = performance.now();
    createHash('sha256').update(bytes).digest('hex');
    const hashDone = performance.now();
    const piece = parseMidi(bytes, path.basename(file));
    parse += performance.now() - hashDone;
    hash += hashDone - readDone;
    read += readDone - start;
    for (const track of piece.tracks) notes += track.notes.length;
  }
  return { notes, read: read / 1000, hash: hash / 1000, parse: parse / 1000 };
}

async function timeOurs(files: readonly string[], plan: Plan): Promise<{ seconds: number; run: ImportRun }> {
  await importAll(files.slice(0, plan.warmupFiles));
  const runs: { seconds: number; run: ImportRun }[] = [];
  for (let repeat = 0; repeat < plan.repeats; repeat++) {
    const start = performance.now();
    const run = await importAll(files);
    runs.push({ seconds: (performance.now() - start) / 1000, run });
  }
  const middle = [...runs].sort((a, b) => a.seconds - b.seconds)[runs.length >> 1]!;
  return { seconds: median(runs.map((run) => run.seconds)), run: middle.run };
}

/** Debian's python3-mido lives in /usr/bin/python3's dist-packages; another python3 first on PATH may not see it. */
function pythonWithMido(): string | null {
  for (const python of ['/usr/bin/python3', 'python3']) {
    const probe = spawnSync(python, ['-c', 'import mido'], { stdio: 'ignore' });
    if (probe.status === 0) return python;
  }
  return null;
}

const MIDO_MISSING = 'reference missing: python3-mido is not installed (`npm run bench:refs` installs it).';

function timeMido(files: readonly string[], plan: Plan, workDir: string): { seconds: number; messages: number } | null {
  const python = pythonWithMido();
  if (python === null) return null;
  const list = path.join(workDir, 'files.txt');
  fs.writeFileSync(list, files.join('\n') + '\n');
  const args = [MIDO_SCRIPT, '--warmup', String(plan.warmupFiles), '--repeat', String(plan.repeats), list];
  const run = spawnSync(python, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`mido_parse.py failed (${run.status}): ${run.stderr.trim().slice(0, 500)}`);
  const output = JSON.parse(run.stdout) as { seconds: number[]; files: number; messages: number };
  if (output.files !== files.length) throw new Error(`mido_parse.py read ${output.files} files, not ${files.length}.`);
  return { seconds: median(output.seconds), messages: output.messages };
}

function speedup(ours: number, ref: number): string {
  return ours <= ref ? `ours is ${(ref / ours).toFixed(1)}× faster` : `ours is ${(ours / ref).toFixed(1)}× SLOWER`;
}

async function compare(files: readonly string[], plan: Plan): Promise<BenchResult> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-bench-'));
  try {
    const ours = await timeOurs(files, plan);
    const mido = timeMido(files, plan, workDir);
    const lines = [`${plan.label}: ${files.length} files, ${ours.run.notes} notes; ours ${(files.length / ours.seconds).toFixed(0)} files/s`];
    if (mido) {
      lines[0] += `, mido ${(files.length / mido.seconds).toFixed(0)} files/s (${mido.messages} messages): ${speedup(ours.seconds, mido.seconds)} (target: 5× faster)`;
    } else {
      lines.push(MIDO_MISSING);
    }
    const runs = plan.repeats === 1 ? 'one run' : `median of ${plan.repeats} runs`;
    lines.push(`${runs} after warming up on ${plan.warmupFiles} files; read + SHA-256 + parse per file on both sides`);
    const { read, hash, parse } = ours.run;
    lines.push(`ours, the middle run: read ${read.toFixed(3)} s, SHA-256 ${hash.toFixed(3)} s, parse ${parse.toFixed(3)} s`);
    return { ours: ours.seconds, ref: mido ? mido.seconds : null, unit: 's', note: lines.join('\n') };
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

/** A seeded multi-track piece: 8 tracks (one of them drums) × 200 notes, with sustain and modulation changes. */
function generatedPiece(index: number, random: () => number): Piece {
  const ppq = 480;
  const secondsPerTick = 0.5 / ppq;
  const integer = (low: number, high: number): number => low + Math.floor(random() * (high - low + 1));
  const tracks: Track[] = [];
  for (let trackIndex = 0; trackIndex < 8; trackIndex++) {
    const isDrum = trackIndex === 7;
    const notes: Note[] = [];
    let ticks = 0;
    for (let noteIndex = 0; noteIndex < 200; noteIndex++) {
      ticks += integer(0, 4) * 120;
      const durationTicks = integer(1, 8) * 60;
      notes.push({ ticks, durationTicks, time: ticks * secondsPerTick, duration: durationTicks * secondsPerTick, pitch: isDrum ? integer(35, 81) : integer(36, 96), velocity: integer(30, 127) });
    }
    const controlChanges: ControlChange[] = [];
    for (let change = 0; change < 40; change++) {
      const changeTicks = change * 480;
      controlChanges.push({ ticks: changeTicks, time: changeTicks * secondsPerTick, controller: change % 2 === 0 ? 64 : 1, value: integer(0, 127) });
    }
    tracks.push({ name: `track ${trackIndex}`, program: isDrum ? 0 : integer(0, 127), channel: isDrum ? 9 : trackIndex, isDrum, notes, controlChanges });
  }
  let durationTicks = 0;
  for (const track of tracks) for (const note of track.notes) durationTicks = Math.max(durationTicks, note.ticks + note.durationTicks);
  return {
    name: `generated ${index}`,
    ppq,
    tempos: [{ ticks: 0, bpm: 120 }],
    timeSignatures: [{ ticks: 0, numerator: 4, denominator: 4 }],
    keySignatures: [],
    tracks,
    durationTicks,
    duration: durationTicks * secondsPerTick,
  };
}

async function generatedCorpus(): Promise<BenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-bench-midi-'));
  try {
    const random = mulberry32(GENERATED_SEED);
    const files: string[] = [];
    for (let index = 0; index < GENERATED_FILES; index++) {
      const file = path.join(dir, `generated-${String(index).padStart(4, '0')}.mid`);
      fs.writeFileSync(file, writeMidi(generatedPiece(index, random)));
      files.push(file);
    }
    const label = `generated corpus (seed ${GENERATED_SEED}, 8 tracks × 200 notes + 320 control changes each)`;
    return await compare(files, { label, repeats: 1, warmupFiles: 100 });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function jsbCorpus(): Promise<BenchResult | BenchSkipped> {
  if (!fs.existsSync(path.join(JSB_MIDI_ROOT, 'train'))) return { skipped: `the shared JSB chorales are not at ${JSB_MIDI_ROOT}.` };
  const files = midiFilesUnder(JSB_MIDI_ROOT);
  return compare(files, { label: 'JSB chorales', repeats: 3, warmupFiles: files.length });
}

export const benches: Bench[] = [
  { name: 'midi-import', run: jsbCorpus },
  { name: 'midi-import-2000', run: generatedCorpus },
];
