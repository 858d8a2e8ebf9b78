/**
 * Baum-Welch speed: seconds per EM iteration (E-step + M-step) of a categorical HMM with N=32
 * states and M=388 symbols (the event vocabulary) on 100,000 observations in 24 sequences of
 * seeded synthetic data (sampled from a random 32-state HMM), all three from the same start.
 *
 * - hmm-em:    the native addon's E-step (native/, all hardware threads) + core's M-step.
 * - hmm-em-ts: the pure-TypeScript path (what runs when the addon is not built).
 * ref for both: bench/refs/hmm_em_numpy.py, a scaled numpy Baum-Welch of the same data and start,
 * run in the same bench (Debian's python3-numpy); its first log-likelihood is checked against ours
 * so the reference provably computes the same thing. Without numpy: ref=none with a note.
 */
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { allocateCategoricalCounts, createTypescriptEStepKernel } from '../core/models/hmm/categorical';
import { initialiseCategorical } from '../core/models/hmm/categorical-init';
import { maximiseCategorical } from '../core/models/hmm/categorical-train';
import { mulberry32 } from '../core/models/hmm/random';
import { sampleCategoricalHmm } from '../core/models/hmm/sample';
import { sequenceSet, type CategoricalEStepKernel, type CategoricalHmmParams, type SequenceSet } from '../core/models/hmm/types';
import { loadHmmKernel } from '../electron/workers/hmm-native';
import type { Bench, BenchResult } from './run';

const N_STATES = 32;
const N_SYMBOLS = 388;
const OBSERVATIONS = 100_000;
const SEQUENCES = 24;
const SEED = 4;
const PSEUDO_COUNT = 1e-3;
const NUMPY_SCRIPT = path.join(__dirname, 'refs/hmm_em_numpy.py');
const NUMPY_ITERATIONS = 2;

interface Problem {
  readonly data: SequenceSet;
  readonly start: CategoricalHmmParams;
}

let problem: Problem | undefined;

/** The seeded data set and start, made once for all measures. */
function getProblem(): Problem {
  if (problem) return problem;
  const random = mulberry32(SEED);
  // Sequence lengths around 100,000 / 24 (±50%), summing to exactly 100,000.
  const weights = Array.from({ length: SEQUENCES }, () => 0.5 + random());
  const total = weights.reduce((a, b) => a + b);
  const lengths = weights.map((w) => Math.floor((w / total) * OBSERVATIONS));
  lengths[SEQUENCES - 1]! += OBSERVATIONS - lengths.reduce((a, b) => a + b);
  const generator = initialiseCategorical(sequenceSet([[0]]), N_STATES, N_SYMBOLS, 'random', SEED);
  const data = sequenceSet(lengths.map((length, s) => sampleCategoricalHmm(generator, { length, seed: SEED * 1000 + s }).symbols));
  problem = { data, start: initialiseCategorical(data, N_STATES, N_SYMBOLS, 'random', SEED + 1) };
  return problem;
}

/** Seconds per E+M iteration: one warm-up iteration, then `iterations` timed ones. */
function measure(kernel: CategoricalEStepKernel, iterations: number): { seconds: number; firstLogLikelihood: number } {
  const { data, start } = getProblem();
  const counts = allocateCategoricalCounts(N_STATES, N_SYMBOLS);
  const firstLogLikelihood = kernel.eStep(start, data, counts);
  let params = maximiseCategorical(start, counts, PSEUDO_COUNT);
  const began = performance.now();
  for (let k = 0; k < iterations; k++) {
    kernel.eStep(params, data, counts);
    params = maximiseCategorical(params, counts, PSEUDO_COUNT);
  }
  return { seconds: (performance.now() - began) / 1000 / iterations, firstLogLikelihood };
}

/** Debian's python3-numpy is in /usr/bin/python3's dist-packages; a python3 first on PATH may not see it. */
function pythonWithNumpy(): string | null {
  for (const python of ['/usr/bin/python3', 'python3']) {
    if (spawnSync(python, ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0) return python;
  }
  return null;
}

interface NumpyResult {
  readonly seconds: number | null;
  readonly note: string;
}

let numpyRun: Promise<NumpyResult> | undefined;

/** Runs the numpy reference once (both measures share it). */
function numpyReference(): Promise<NumpyResult> {
  numpyRun ??= (async () => {
    const python = pythonWithNumpy();
    if (!python) return { seconds: null, note: 'reference missing: python3-numpy is not installed (`npm run bench:refs` installs it).' };
    const { data, start } = getProblem();
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'hmm-em-bench-'));
    try {
      const write = (name: string, array: Float64Array | Int32Array): void =>
        fs.writeFileSync(path.join(folder, name), new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
      fs.writeFileSync(path.join(folder, 'meta.json'), JSON.stringify({ nStates: N_STATES, nSymbols: N_SYMBOLS, pseudoCount: PSEUDO_COUNT }));
      write('initial.f64', start.initial);
      write('transition.f64', start.transition);
      write('emission.f64', start.emission);
      write('symbols.i32', data.symbols);
      write('offsets.i32', data.offsets);
      const stdout = await new Promise<string>((resolve, reject) =>
        execFile(python, [NUMPY_SCRIPT, folder, '--iterations', String(NUMPY_ITERATIONS)], { maxBuffer: 1 << 20 }, (error, out, err) =>
          error ? reject(new Error(`${NUMPY_SCRIPT} failed: ${err || error.message}`)) : resolve(out),
        ),
      );
      const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as { secondsPerIteration: number; logLikelihoods: number[]; numpy: string };
      const ours = createTypescriptEStepKernel().eStep(start, data, allocateCategoricalCounts(N_STATES, N_SYMBOLS));
      const theirs = result.logLikelihoods[0]!;
      const agreement = Math.abs(ours - theirs) / Math.abs(ours);
      if (!(agreement < 1e-9)) throw new Error(`numpy's log-likelihood ${theirs} differs from ours ${ours}: the reference does not compute the same thing.`);
      return {
        seconds: result.secondsPerIteration,
        note: `ref: numpy ${result.numpy} (${python}), mean of ${NUMPY_ITERATIONS} iterations after a warm-up; log-likelihood agrees with ours to ${agreement.toExponential(1)}`,
      };
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  })();
  return numpyRun;
}

const SIZE = `N=${N_STATES}, M=${N_SYMBOLS}, ${OBSERVATIONS.toLocaleString('en')} observations in ${SEQUENCES} sequences`;

export const benches: Bench[] = [
  {
    name: 'hmm-em',
    async run(): Promise<BenchResult> {
      const load = loadHmmKernel();
      const reference = await numpyReference();
      if (!load.kernel) {
        // Nothing native to measure: report the TypeScript path under this name too, and say so.
        const { seconds } = measure(createTypescriptEStepKernel(), 2);
        return { ours: seconds, ref: reference.seconds, unit: 's/iter', note: `NATIVE ADDON MISSING, TypeScript measured instead: ${load.reason}\n${reference.note}` };
      }
      const { seconds } = measure(load.kernel, 10);
      return { ours: seconds, ref: reference.seconds, unit: 's/iter', note: `${SIZE}; native E-step (${load.variant}) on ${load.threads} threads\n${reference.note}` };
    },
  },
  {
    name: 'hmm-em-ts',
    async run(): Promise<BenchResult> {
      const reference = await numpyReference();
      const { seconds } = measure(createTypescriptEStepKernel(), 3);
      return { ours: seconds, ref: reference.seconds, unit: 's/iter', note: `${SIZE}; pure TypeScript\n${reference.note}` };
    },
  },
];
