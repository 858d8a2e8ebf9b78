// The native E-step (native/, built by scripts/build-native.mjs) against core's TypeScript E-step:
// same accumulators, same log-likelihood, same parameters after several iterations.
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { allocateCategoricalCounts, createTypescriptEStepKernel } from '../../core/models/hmm/categorical';
import { randomCategorical } from '../../core/models/hmm/categorical-init';
import { trainCategoricalHmm } from '../../core/models/hmm/categorical-train';
import { mulberry32 } from '../../core/models/hmm/random';
import { sequenceSet, type CategoricalHmmParams, type SequenceSet } from '../../core/models/hmm/types';
import { addonCandidates, loadAddon, loadHmmKernel } from '../../electron/workers/hmm-native';
import { projectRoot } from '../support/paths';

const addonPath = path.join(projectRoot, 'native/build/Release/studio_native.node');
const built = fs.existsSync(addonPath);
const NOT_BUILT = `the native addon is not built (${addonPath}); run "node scripts/build-native.mjs": skipped`;
if (!built) console.warn(NOT_BUILT);

/** Random lengths up to 400 (sequence 2 empty), then the edge lengths of the native blocks of 64 steps. */
function randomData(sequences: number, nSymbols: number, seed: number): SequenceSet {
  const random = mulberry32(seed);
  const lengths = [...Array.from({ length: sequences }, (_, s) => (s === 2 ? 0 : 1 + Math.floor(random() * 400))), 1, 2, 64, 65, 66, 129];
  return sequenceSet(lengths.map((length) => Int32Array.from({ length }, () => Math.floor(random() * nSymbols))));
}

function expectRelative(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let k = 0; k < expected.length; k++) {
    const scale = Math.max(Math.abs(actual[k]!), Math.abs(expected[k]!));
    if (scale > 0) worst = Math.max(worst, Math.abs(actual[k]! - expected[k]!) / scale);
  }
  expect(worst, `${what}: worst relative difference`).toBeLessThan(1e-9);
}

describe('native HMM kernel', () => {
  it('loadHmmKernel falls back with a reason when switched off or absent', () => {
    const off = loadHmmKernel({ env: { STUDIO_NATIVE: 'off' } });
    expect(off.kernel).toBeNull();
    expect(off.reason).toMatch(/STUDIO_NATIVE=off/);
    const absent = loadHmmKernel({ env: {}, candidates: ['/nonexistent/studio_native.node'] });
    expect(absent.kernel).toBeNull();
    expect(absent.reason).toMatch(/not built.*nonexistent/);
    const wrong = loadHmmKernel({ env: {}, candidates: [path.join(projectRoot, 'package.json')] });
    expect(wrong.kernel).toBeNull();
    expect(wrong.reason).toMatch(/could not be loaded/);
  });

  it('looks for STUDIO_NATIVE_ADDON first, then under the project root', () => {
    expect(addonCandidates({ STUDIO_NATIVE_ADDON: '/elsewhere/studio_native.node' })).toEqual(['/elsewhere/studio_native.node', addonPath]);
    expect(addonCandidates({})).toEqual([addonPath]);
  });

  it.skipIf(!built)('is found from the project root and reports its threads', () => {
    const load = loadHmmKernel({ env: {} });
    expect(load.reason).toBeUndefined();
    expect(load.kernel?.name).toBe('native');
    if (load.kernel) expect(load.threads).toBeGreaterThanOrEqual(1);
  });

  it.skipIf(!built)('gives the TypeScript accumulators and log-likelihood (1e-9 relative), on 1, 2 and 5 threads, both variants', () => {
    // 37 states: the vector tiles (16 and 4 columns, 4×8 blocks) and their scalar edges all run;
    // sequences longer than the native backward block (64 steps), one empty.
    const model: CategoricalHmmParams = randomCategorical(37, 20, mulberry32(3));
    const data = randomData(13, 20, 4);
    const expected = allocateCategoricalCounts(37, 20);
    const expectedLogLikelihood = createTypescriptEStepKernel().eStep(model, data, expected);
    for (const [threads, variant] of [[1, 'auto'], [2, 'auto'], [5, 'auto'], [1, 'baseline'], [2, 'baseline']] as const) {
      const load = loadHmmKernel({ env: {}, threads, variant });
      if (!load.kernel) throw new Error(load.reason);
      const counts = allocateCategoricalCounts(37, 20);
      counts.emissionCounts.fill(123); // must be overwritten, not added to
      const logLikelihood = load.kernel.eStep(model, data, counts);
      expect(Math.abs(logLikelihood - expectedLogLikelihood) / Math.abs(expectedLogLikelihood)).toBeLessThan(1e-9);
      const label = `${threads} threads, ${load.variant}`;
      expectRelative(counts.initialCounts, expected.initialCounts, `initial (${label})`);
      expectRelative(counts.transitionCounts, expected.transitionCounts, `transition (${label})`);
      expectRelative(counts.emissionCounts, expected.emissionCounts, `emission (${label})`);
    }
  });

  it.skipIf(!built)('gives the same parameters as TypeScript after 5 Baum-Welch iterations', () => {
    const data = randomData(24, 30, 9);
    const settings = { nStates: 12, nSymbols: 30, maxIterations: 5, tolerance: 0, seed: 5 };
    const load = loadHmmKernel({ env: {}, threads: 2 });
    if (!load.kernel) throw new Error(load.reason);
    const native = trainCategoricalHmm(data, settings, { kernel: load.kernel });
    const typescript = trainCategoricalHmm(data, settings);
    expect(native.kernel).toBe('native');
    expect(native.iterationsCompleted).toBe(5);
    expectRelative(native.params.initial, typescript.params.initial, 'π');
    expectRelative(native.params.transition, typescript.params.transition, 'A');
    expectRelative(native.params.emission, typescript.params.emission, 'B');
    expectRelative(
      native.history.map((r) => r.logLikelihood),
      typescript.history.map((r) => r.logLikelihood),
      'log-likelihood history',
    );
  });

  it.skipIf(!built)('agrees on impossible sequences (-Infinity, counts left out)', () => {
    const model: CategoricalHmmParams = {
      nStates: 2,
      nSymbols: 3,
      initial: Float64Array.of(0.5, 0.5),
      transition: Float64Array.of(0.9, 0.1, 0.2, 0.8),
      emission: Float64Array.of(0.5, 0.5, 0, 0.3, 0.7, 0),
    };
    const data = sequenceSet([[0, 1, 1], [2, 0], [1, 0]]);
    const load = loadHmmKernel({ env: {}, threads: 2 });
    if (!load.kernel) throw new Error(load.reason);
    const native = allocateCategoricalCounts(2, 3);
    const typescript = allocateCategoricalCounts(2, 3);
    expect(load.kernel.eStep(model, data, native)).toBe(Number.NEGATIVE_INFINITY);
    expect(createTypescriptEStepKernel().eStep(model, data, typescript)).toBe(Number.NEGATIVE_INFINITY);
    expectRelative(native.emissionCounts, typescript.emissionCounts, 'emission');
  });

  it.skipIf(!built)('loads and runs inside worker threads too (where training runs), alongside the main thread', async () => {
    const model = randomCategorical(5, 7, mulberry32(2));
    const data = randomData(4, 7, 3);
    const mainThread = loadHmmKernel({ env: {} });
    if (!mainThread.kernel) throw new Error(mainThread.reason);
    const expected = mainThread.kernel.eStep(model, data, allocateCategoricalCounts(5, 7));
    const source = `
      const { parentPort, workerData } = require('node:worker_threads');
      const holder = { exports: {} };
      process.dlopen(holder, workerData.file);
      const { model, data } = workerData;
      const out = [new Float64Array(5), new Float64Array(25), new Float64Array(35)];
      parentPort.postMessage(holder.exports.eStep(model.initial, model.transition, model.emission, data.symbols, data.offsets, ...out, 2));
    `;
    const results = await Promise.all(
      [1, 2].map(
        () =>
          new Promise<number>((resolve, reject) => {
            const worker = new Worker(source, { eval: true, workerData: { file: addonPath, model, data } });
            worker.once('message', (value: number) => void worker.terminate().then(() => resolve(value)));
            worker.once('error', reject);
          }),
      ),
    );
    for (const value of results) expect(Math.abs(value - expected) / Math.abs(expected)).toBeLessThan(1e-12);
  });

  it.skipIf(!built)('rejects malformed input with a clear error instead of reading out of bounds', () => {
    const addon = loadAddon(addonPath);
    const model = randomCategorical(2, 3, mulberry32(1));
    const out = allocateCategoricalCounts(2, 3);
    const call = (symbols: Int32Array, offsets: Int32Array, emission = model.emission, initialCounts = out.initialCounts) =>
      addon.eStep(model.initial, model.transition, emission, symbols, offsets, initialCounts, out.transitionCounts, out.emissionCounts, 1);
    expect(() => call(Int32Array.of(0, 3), Int32Array.of(0, 2))).toThrow(/symbol 3 at position 1 is outside 0\.\.2/);
    expect(() => call(Int32Array.of(0, 1), Int32Array.of(0, 5))).toThrow(/last offset/);
    expect(() => call(Int32Array.of(0, 1), Int32Array.of(0, 2), new Float64Array(5))).toThrow(/emission/);
    expect(() => call(Int32Array.of(0, 1), Int32Array.of(0, 2), model.emission, new Float64Array(3))).toThrow(/initialCounts has 3 elements, expected 2/);
    expect(() => addon.eStep(model.initial, model.transition, model.emission, [0, 1] as unknown as Int32Array, Int32Array.of(0, 2), out.initialCounts, out.transitionCounts, out.emissionCounts)).toThrow(
      /symbols must be an Int32Array/,
    );
  });
});
