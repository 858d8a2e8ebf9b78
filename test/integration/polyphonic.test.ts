// Training a polyphonic model through the worker's glue on the native engine: a run cancelled
// between two batches and resumed from its (JSON round-tripped) checkpoint ends with exactly the
// weights and history of the uninterrupted run (dropout, transposition, Adam and a learning-rate
// decay included); the native and plain-tfjs paths compute the same losses; the native NADE kernel
// (every compiled variant, 1 and 2 threads) equals the TypeScript loops; the JSB quarter-note split
// loads and a model starts learning it.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTfjsOps } from '../../core/models/neural/ops';
import { makeFrameBatch } from '../../core/models/polyphonic/batches';
import type { PolyphonicConfig } from '../../core/models/polyphonic/config';
import { framesFromSplitJson } from '../../core/models/polyphonic/corpus';
import { JSB_RANGE, type Frames } from '../../core/models/polyphonic/frames';
import type { PolyphonicCheckpointData, PolyphonicTrainInput, PolyphonicTrainWorkerResult } from '../../core/models/polyphonic/jobs';
import { PolyphonicModel } from '../../core/models/polyphonic/model';
import { SeededRandom } from '../../core/models/polyphonic/random';
import { deserializeModel } from '../../core/models/polyphonic/serialize';
import { frameNll, trainPolyphonic, type PolyphonicCheckpoint, type PolyphonicTrainSettings } from '../../core/models/polyphonic/train';
import { createEngine } from '../../electron/workers/neural/engine';
import { loadNeuralAddon } from '../../electron/workers/neural/native-addon';
import { nadeLoss } from '../../core/models/polyphonic/nade';
import { loadNadeKernel, type NadeAddon, type NadeLossCall } from '../../electron/workers/polyphonic/native-nade';
import { runPolyphonicTraining } from '../../electron/workers/polyphonic/train-polyphonic';
import { jsbRoot } from '../support/paths';

const nativeBuilt = loadNeuralAddon().addon !== null;
if (!nativeBuilt) console.warn('native kernels unavailable: the polyphonic tests run on the fallback engine');
const jsbQuarter = path.join(jsbRoot, 'raw/jsb-chorales-quarter.json');
const hasJsbQuarter = fs.existsSync(jsbQuarter);

const RANGE = { low: 55, high: 79 };
const CONFIG: PolyphonicConfig = {
  kind: 'rnn-nade',
  range: RANGE,
  resolution: 4,
  units: [24, 16],
  nadeHidden: 12,
  dropout: 0.2,
  inputDropout: 0.1,
  skipInput: true,
  learningRate: 0.01,
  seed: 7,
};
const SETTINGS: PolyphonicTrainSettings = {
  batchSize: 3,
  maxEpochs: 4,
  patience: 10,
  maxTranspose: 3,
  clipNorm: 1,
  decayFactor: 0.5,
  decayPatience: 1,
  minLearningRate: 1e-4,
  seed: 5,
  maxSeconds: 0,
  initBiasFromData: true,
  averageDecay: 0.9,
};

/** Random 3-voice pieces in the middle of the range (so they can be transposed). */
function randomPieces(seed: number, count: number): Frames[] {
  const random = new SeededRandom(seed);
  const D = RANGE.high - RANGE.low + 1;
  return Array.from({ length: count }, () => {
    const steps = 6 + random.below(10);
    const data = new Uint8Array(steps * D);
    for (let t = 0; t < steps; t++) for (let voice = 0; voice < 3; voice++) data[t * D + 5 + voice * 5 + random.below(4)] = 1;
    return { steps, pitches: D, data };
  });
}

function fakeContext(cancelAfterPolls = Infinity): { context: Parameters<typeof runPolyphonicTraining>[1]; checkpoints: PolyphonicCheckpointData[] } {
  const checkpoints: PolyphonicCheckpointData[] = [];
  let polls = 0;
  return {
    checkpoints,
    context: {
      progress: () => undefined,
      emit: (data) => checkpoints.push(data as PolyphonicCheckpointData),
      isCancelled: () => ++polls > cancelAfterPolls,
    },
  };
}

describe('polyphonic training in the worker', () => {
  const train = randomPieces(1, 10);
  const valid = randomPieces(2, 3);
  const input: PolyphonicTrainInput = { family: 'polyphonic', config: CONFIG, settings: SETTINGS, train, valid, resume: null };

  it('resumes a run cancelled between two batches exactly where it stopped', async () => {
    const whole = fakeContext();
    const uninterrupted: PolyphonicTrainWorkerResult = await runPolyphonicTraining(input, whole.context);
    expect(uninterrupted.stopReason).toBe('max-epochs');
    expect(uninterrupted.engine).toBe(nativeBuilt ? 'native' : 'wasm');
    const finalCheckpoint = whole.checkpoints.at(-1)!.checkpoint;
    // The learning rate decayed at least once on this noise (so the optimiser's rebuild is covered).
    expect(finalCheckpoint.history.some((record) => record.learningRate < CONFIG.learningRate)).toBe(true);

    // Cancelled during the second epoch (4 batches per epoch, polled once per batch among other polls).
    const first = fakeContext(6);
    const stopped = await runPolyphonicTraining(input, first.context);
    expect(stopped.stopReason).toBe('stopped');
    expect(stopped.model).toBeNull();
    const saved = first.checkpoints.at(-1)!.checkpoint;
    expect(saved.position).not.toBeNull();
    const resumeFrom = JSON.parse(JSON.stringify(saved)) as PolyphonicCheckpoint;

    const second = fakeContext();
    const resumed = await runPolyphonicTraining({ ...input, resume: resumeFrom }, second.context);
    expect(resumed.stopReason).toBe('max-epochs');
    const resumedCheckpoint = second.checkpoints.at(-1)!.checkpoint;
    expect(resumedCheckpoint.history.map((record) => [record.trainNll, record.validNll, record.learningRate])).toEqual(
      finalCheckpoint.history.map((record) => [record.trainNll, record.validNll, record.learningRate]),
    );
    expect(resumedCheckpoint.weights).toEqual(finalCheckpoint.weights);
    expect(resumedCheckpoint.optimizer).toEqual(finalCheckpoint.optimizer);
    expect(resumed.best).toEqual(uninterrupted.best);
    expect(deserializeModel(resumed.model!).weights).toEqual(deserializeModel(uninterrupted.model!).weights);
  });

  it.skipIf(!nativeBuilt)('the native kernels and plain tfjs ops give the same losses', async () => {
    const engine = await createEngine({ prefer: 'native' });
    expect(engine.path).toBe('native');
    const losses = (ops: typeof engine.ops): number[] => {
      const model = new PolyphonicModel(engine.tf, ops, CONFIG);
      const random = new SeededRandom(3);
      const batch = makeFrameBatch(train.slice(0, 4));
      const values = Array.from({ length: 5 }, () => model.trainStep(batch, random, 1).loss);
      values.push(model.evaluate(makeFrameBatch(valid)).nll);
      model.dispose();
      return values;
    };
    const native = losses(engine.ops);
    const plain = losses(createTfjsOps(engine.tf));
    native.forEach((value, k) => expect(Math.abs(value - plain[k]!) / Math.abs(plain[k]!), `loss ${k}`).toBeLessThan(1e-4));
    expect(native[4]).toBeLessThan(native[0]!);
  });
});

describe('the native NADE kernel', () => {
  it.skipIf(!nativeBuilt)('equals the TypeScript loops (loss and gradients) in every variant, and checks its arguments', () => {
    const probe = loadNadeKernel();
    expect(probe.reason).toBeUndefined();
    // The same addon file as the neural kernels'.
    const addon = loadNeuralAddon().addon as unknown as NadeAddon;
    const random = new SeededRandom(17);
    const [rows, D, H] = [150, 20, 24];
    const outputs = Float32Array.from({ length: rows * (D + H) }, () => 2 * random.next() - 1);
    const W = Float32Array.from({ length: D * H }, () => 2 * random.next() - 1);
    const V = Float32Array.from({ length: D * H }, () => 2 * random.next() - 1);
    const targets = Uint8Array.from({ length: rows * D }, () => (random.next() < 0.2 ? 1 : 0));
    const weights = Float32Array.from({ length: rows }, (_, n) => (n % 7 === 0 ? 0 : 1 + (n % 3) / 2));
    const shape = { rows, pitches: D, hidden: H };
    const gradients = (): { dOutputs: Float32Array; dW: Float32Array; dV: Float32Array } => ({ dOutputs: new Float32Array(rows * (D + H)), dW: new Float32Array(D * H), dV: new Float32Array(D * H) });
    const expected = gradients();
    const loss = nadeLoss(shape, outputs, W, V, targets, weights, expected);
    const close = (actual: Float32Array, wanted: Float32Array, what: string): void => {
      let worst = 0;
      let scale = 0;
      wanted.forEach((value, k) => {
        worst = Math.max(worst, Math.abs(actual[k]! - value));
        scale = Math.max(scale, Math.abs(value));
      });
      expect(worst / scale, what).toBeLessThan(1e-5);
    };
    for (const variant of addon.nadeKernels()) {
      for (const threads of [1, 2]) {
        const kernel = loadNadeKernel({ variant, threads }).nadeLoss!;
        const actual = gradients();
        expect(Math.abs(kernel(shape, outputs, W, V, targets, weights, actual) - loss) / loss, `${variant} loss`).toBeLessThan(1e-6);
        close(actual.dOutputs, expected.dOutputs, `${variant}/${threads} dOutputs`);
        close(actual.dW, expected.dW, `${variant}/${threads} dW`);
        close(actual.dV, expected.dV, `${variant}/${threads} dV`);
        expect(Math.abs(kernel(shape, outputs, W, V, targets, weights) - loss) / loss).toBeLessThan(1e-6);
      }
    }
    const call: NadeLossCall = { rows, pitches: D, hidden: H, outputs, w: W, v: V, targets, rowWeights: weights };
    expect(() => addon.nadeLoss({ ...call, w: W.subarray(1) })).toThrow(/w has 479 elements, expected 480/);
    expect(() => addon.nadeLoss({ ...call, targets: new Float32Array(rows * D) as unknown as Uint8Array })).toThrow(/targets must be a Uint8Array/);
    expect(() => addon.nadeLoss({ ...call, dW: new Float32Array(D * H) })).toThrow(/need dOutputs/);
    expect(() => addon.nadeLoss({ ...call, variant: 'sse9' })).toThrow(/variant "sse9" is not available/);
  });
});

describe('the JSB chorales quarter-note split', () => {
  it.skipIf(!hasJsbQuarter)('loads over the range 43..96 and a small model learns from a few pieces', async () => {
    const splits = framesFromSplitJson(JSON.parse(fs.readFileSync(jsbQuarter, 'utf8')), JSB_RANGE);
    expect([splits.train.length, splits.valid.length, splits.test.length]).toEqual([229, 76, 77]);
    expect(splits.train.reduce((sum, piece) => sum + piece.steps, 0)).toBe(13807);
    const engine = await createEngine({ prefer: 'native' });
    const model = new PolyphonicModel(engine.tf, engine.ops, { ...CONFIG, range: JSB_RANGE, resolution: 1, units: [32], nadeHidden: 16, learningRate: 0.01 });
    const result = await trainPolyphonic(model, { train: splits.train.slice(0, 40), valid: splits.valid.slice(0, 10) }, { ...SETTINGS, maxEpochs: 3, maxTranspose: 0, batchSize: 8 });
    // A frame of 54 coin flips costs 37 nats; the pitches' marginals alone ~15.
    expect(result.history[0]!.validNll).toBeLessThan(16);
    expect(result.best.validNll).toBeLessThan(result.history[0]!.validNll!);
    expect(frameNll(model, splits.test.slice(0, 10))).toBeLessThan(16);
    model.dispose();
  });
});
