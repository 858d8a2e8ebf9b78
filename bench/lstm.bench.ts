/**
 * Training speed of the seeds' LSTM next-note model (core/models/neural/note-lstm.ts): milliseconds
 * per training step (forward, backward, Adam) on one fixed batch of 64 windows, single-threaded.
 *
 * - lstm-small-step:          the seeds' model (25 notes → LSTM(128) → heads), native path.
 * - lstm-big-step:            64 notes → LSTM(256) → LSTM(256) → heads, native path.
 * - lstm-small-step-fallback: the seeds' model on the wasm fallback (no addon).
 * ref: bench/refs/lstm_torch.py, the same model with the same initial weights, batch, losses and Adam
 * (ε as tfjs), PyTorch CPU on one thread (torch.set_num_threads(1), OPENBLAS/OMP/MKL_NUM_THREADS=1),
 * run in the same bench; its first loss must equal ours, so it provably trains the same thing.
 * Each side reports its best of 3 rounds (the machine may be shared). Without python3-torch:
 * ref=none with a note.
 */
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { mulberry32 } from '../core/models/hmm/random';
import { BIG_NOTE_LSTM, initialNoteLstmWeights, NoteLstm, SEEDS_NOTE_LSTM, type NoteLstmConfig } from '../core/models/neural/note-lstm';
import { allocateNoteBatch, fillNoteBatch, noteSequenceSet, windowStarts, type NoteBatch } from '../core/models/neural/note-windows';
import { createEngine, type EnginePath } from '../electron/workers/neural/engine';
import type { Bench, BenchResult } from './run';

const BATCH = 64;
const ROUNDS = 3;
const TORCH_SCRIPT = path.join(__dirname, 'refs/lstm_torch.py');

/** A fixed batch of windows from seeded random melodies (the speed does not depend on the values). */
function benchBatch(config: NoteLstmConfig): NoteBatch {
  const random = mulberry32(7);
  const pieces = Array.from({ length: 8 }, () => {
    let pitch = 60;
    return Array.from({ length: 200 }, () => {
      pitch = Math.min(96, Math.max(36, pitch + Math.round((random() - 0.5) * 8)));
      return { pitch, step: Math.round(random() * 4) / 8, duration: 0.125 + Math.round(random() * 6) / 8 };
    });
  });
  const set = noteSequenceSet(pieces);
  const starts = windowStarts(set, config.windowLength);
  const batch = allocateNoteBatch(BATCH, config.windowLength);
  fillNoteBatch(set, starts, Array.from({ length: BATCH }, () => Math.floor(random() * starts.length)), batch);
  return batch;
}

interface OurRun {
  readonly msPerStep: number;
  readonly rounds: number[];
  /** The losses of the first 5 steps (the warm-up). */
  readonly losses: number[];
  readonly reason: string;
}

async function measure(path_: EnginePath, config: NoteLstmConfig, steps: number): Promise<OurRun> {
  const engine = await createEngine({ prefer: path_ });
  if (engine.path !== path_) throw new Error(`the ${path_} path is unavailable here: ${engine.reason}`);
  const model = new NoteLstm(engine.tf, engine.ops, config);
  const batch = benchBatch(config);
  const losses = Array.from({ length: 5 }, () => model.trainStep(batch));
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const began = performance.now();
    for (let k = 0; k < steps; k++) model.trainStep(batch);
    rounds.push((performance.now() - began) / steps);
  }
  model.dispose();
  return { msPerStep: Math.min(...rounds), rounds, losses, reason: engine.reason };
}

interface TorchResult {
  readonly msPerStep: number | null;
  readonly note: string;
}

/** Debian's python3-torch is in /usr/bin/python3's dist-packages; a python3 first on PATH may not see it. */
function pythonWithTorch(): string | null {
  for (const python of ['/usr/bin/python3', 'python3']) {
    if (spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0) return python;
  }
  return null;
}

const torchRuns = new Map<string, Promise<TorchResult>>();

/** Runs the PyTorch reference once per configuration (the small model serves two measures). */
function torchReference(name: string, config: NoteLstmConfig, steps: number, ourLosses: readonly number[]): Promise<TorchResult> {
  const key = JSON.stringify(config);
  const cached = torchRuns.get(key);
  if (cached) return cached;
  const run = (async (): Promise<TorchResult> => {
    const python = pythonWithTorch();
    if (!python) return { msPerStep: null, note: 'reference missing: python3-torch is not installed (`npm run bench:refs` installs it).' };
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-bench-'));
    try {
      const write = (file: string, array: Float32Array | Int32Array): void =>
        fs.writeFileSync(path.join(folder, file), new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
      const weights = initialNoteLstmWeights(config);
      for (const weight of weights) write(`${weight.name.replace('/', '__')}.f32`, weight.values);
      const batch = benchBatch(config);
      write('inputs.f32', batch.inputs);
      write('pitch.i32', batch.pitch);
      write('step.f32', batch.step);
      write('duration.f32', batch.duration);
      fs.writeFileSync(
        path.join(folder, 'meta.json'),
        JSON.stringify({
          windowLength: config.windowLength,
          batchSize: BATCH,
          units: config.units,
          pitchWeight: config.lossWeights.pitch,
          learningRate: config.learningRate,
          // tf.train.adam's ε is the backend's epsilon, 1e-7 (PyTorch's default is 1e-8).
          epsilon: 1e-7,
          weights: weights.map((weight) => ({ name: weight.name, shape: weight.shape })),
        }),
      );
      const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
      const stdout = await new Promise<string>((resolve, reject) =>
        execFile(python, [TORCH_SCRIPT, folder, '--steps', String(steps), '--rounds', String(ROUNDS)], { env, maxBuffer: 1 << 20 }, (error, out, err) =>
          error ? reject(new Error(`${TORCH_SCRIPT} failed: ${err || error.message}`)) : resolve(out),
        ),
      );
      const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as { msPerStep: number; rounds: number[]; losses: number[]; torch: string; threads: number; blas: string };
      const agreement = Math.abs(result.losses[0]! - ourLosses[0]!) / Math.abs(ourLosses[0]!);
      if (!(agreement < 1e-4)) throw new Error(`PyTorch's first loss ${result.losses[0]} differs from ours ${ourLosses[0]}: the reference does not compute the same thing.`);
      // The next losses follow both Adams: they agree while float32 rounding has not yet diverged.
      const trajectory = Math.max(...ourLosses.map((loss, k) => Math.abs(loss - result.losses[k]!) / Math.abs(loss)));
      const blasNote = /openblas|mkl|blis/.test(result.blas) ? '' : ' — WARNING: not an optimised BLAS, the reference is slow; install libopenblas0-pthread for a fair comparison';
      return {
        msPerStep: result.msPerStep,
        note: `ref (${name}): PyTorch ${result.torch} (${python}), ${result.threads} thread, BLAS: ${result.blas}${blasNote}; best of ${ROUNDS} rounds of ${steps} steps (${result.rounds.map((ms) => ms.toFixed(1)).join(', ')} ms); first loss agrees with ours to ${agreement.toExponential(1)}, the first ${ourLosses.length} to ${trajectory.toExponential(1)}`,
      };
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  })();
  torchRuns.set(key, run);
  return run;
}

function describe(config: NoteLstmConfig): string {
  return `${config.windowLength} notes → ${config.units.map((units) => `LSTM(${units})`).join(' → ')} → heads, batch ${BATCH}, Adam`;
}

function result(ours: OurRun, reference: TorchResult, config: NoteLstmConfig): BenchResult {
  return {
    ours: ours.msPerStep,
    ref: reference.msPerStep,
    unit: 'ms/step',
    note: `${describe(config)}; ${ours.reason}; best of ${ROUNDS} rounds (${ours.rounds.map((ms) => ms.toFixed(1)).join(', ')} ms)\n${reference.note}`,
  };
}

export const benches: Bench[] = [
  {
    name: 'lstm-small-step',
    async run() {
      const ours = await measure('native', SEEDS_NOTE_LSTM, 60);
      return result(ours, await torchReference('small', SEEDS_NOTE_LSTM, 60, ours.losses), SEEDS_NOTE_LSTM);
    },
  },
  {
    name: 'lstm-big-step',
    async run() {
      const ours = await measure('native', BIG_NOTE_LSTM, 6);
      return result(ours, await torchReference('big', BIG_NOTE_LSTM, 6, ours.losses), BIG_NOTE_LSTM);
    },
  },
  {
    name: 'lstm-small-step-fallback',
    async run() {
      const ours = await measure('wasm', SEEDS_NOTE_LSTM, 12);
      return result(ours, await torchReference('small', SEEDS_NOTE_LSTM, 60, ours.losses), SEEDS_NOTE_LSTM);
    },
  },
];
