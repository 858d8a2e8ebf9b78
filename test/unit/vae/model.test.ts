// A tiny hierarchical VAE learns a tiny synthetic corpus (≥ 95% of tokens reconstructed greedily, step
// by step through the tensor-free decoder), interpolation's endpoints reconstruct the endpoints, the
// per-epoch record is consistent (the held-out bound is reconstruction + KL), scheduled sampling's
// two passes change what is trained and are seeded, the flat decoder learns too, and a stored model
// generates through the job entry point. Runs on the native engine when built, else the fallback.
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../core/models/hmm/random';
import type { NeuralEngine } from '../../../electron/workers/neural/engine';
import { createEngine } from '../../../electron/workers/neural/engine';
import { makeBatch } from '../../../core/models/vae/batches';
import { generateVae, VAE_FAMILY } from '../../../core/models/vae/jobs';
import { VaeModel, type VaeWeights } from '../../../core/models/vae/model';
import { VaeNet } from '../../../core/models/vae/net';
import { deserializeVaeModel, serializeVaeModel } from '../../../core/models/vae/serialize';
import { tokensToPiece } from '../../../core/models/vae/tokens';
import { greedyAccuracy, trainVae, type VaeTrainResult } from '../../../core/models/vae/train';
import { interpolateVae, reconstructVae, sampleVae } from '../../../core/models/vae/uses';
import { randomMelodies, TINY_CONFIG, TINY_SETTINGS } from './helpers';

let engine: NeuralEngine;
let trained: VaeTrainResult;
const train = randomMelodies(5, 8);
// Part of the train split as "valid": the held-out numbers then track memorisation, so the best epoch is a late one.
const valid = train.slice(0, 4);

function matches(a: readonly number[], b: readonly number[]): number {
  return a.filter((token, t) => token === b[t]).length / a.length;
}

beforeAll(async () => {
  engine = await createEngine({ prefer: 'native' });
  const model = new VaeModel(engine.tf, engine.ops, TINY_CONFIG);
  trained = await trainVae(model, { train, valid }, { ...TINY_SETTINGS, greedyValidation: true }, {}, undefined, engine.ops.raw);
  model.dispose();
}, 120_000);

describe('a tiny hierarchical VAE', () => {
  it('reconstructs its training segments (greedy, step by step) with ≥ 95% of tokens right', () => {
    const results = reconstructVae(trained.weights, train, { raw: engine.ops.raw });
    const accuracy = results.reduce((sum, result, k) => sum + matches(result.tokens, train[k]!), 0) / train.length;
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
    // The JavaScript step kernels decode the same tokens as the engine's.
    expect(reconstructVae(trained.weights, train).map((result) => result.tokens)).toEqual(results.map((result) => result.tokens));
    expect(trained.history.at(-1)!.trainAccuracy).toBeGreaterThanOrEqual(0.95);
  });

  it('interpolates: the endpoints reconstruct the endpoints, the steps between are other melodies', () => {
    const [a, b] = [train[0]!, train[1]!];
    const path = interpolateVae(trained.weights, a, b, 5, { raw: engine.ops.raw });
    expect(path.map((step) => step.position)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(matches(path[0]!.tokens, a)).toBeGreaterThanOrEqual(0.9);
    expect(matches(path[4]!.tokens, b)).toBeGreaterThanOrEqual(0.9);
    const [za, zb] = new VaeNet(trained.weights).encode([a, b]).mu;
    expect(path[0]!.z).toEqual(Array.from(za!).map((v) => expect.closeTo(v, 4)));
    expect(path[4]!.z).toEqual(Array.from(zb!).map((v) => expect.closeTo(v, 4)));
    expect(path.slice(1, 4).some((step) => matches(step.tokens, a) < 1 && matches(step.tokens, b) < 1)).toBe(true);
  });

  it('reports per epoch: accuracy, KL, β, and the held-out bound = reconstruction + KL (per segment and per token)', () => {
    expect(trained.stopReason).toBe('max-epochs');
    expect(trained.history).toHaveLength(TINY_SETTINGS.maxEpochs);
    for (const record of trained.history) {
      expect(record.validNllBound!).toBeCloseTo(record.validReconstruction! + record.validKl!, 6);
      expect(record.validNllBoundPerToken!).toBeCloseTo(record.validNllBound! / 16, 9);
      expect(record.validKl!).toBeGreaterThanOrEqual(0);
      expect(record.beta).toBeCloseTo(TINY_SETTINGS.maxBeta * (1 - TINY_SETTINGS.betaRate ** (record.steps - 1)), 12);
    }
    const first = trained.history[0]!;
    const last = trained.history.at(-1)!;
    expect(last.trainReconstruction).toBeLessThan(first.trainReconstruction / 5);
    expect(last.trainKl).toBeGreaterThan(1); // the code is used: no posterior collapse
    // The kept weights are the best epoch's.
    const best = trained.history.reduce((a, b) => (b.validNllBound! < a.validNllBound! ? b : a));
    expect(trained.best).toEqual({ epoch: best.epoch, validNllBound: best.validNllBound });
    expect(greedyAccuracy(trained.weights, valid)).toBeCloseTo(best.validGreedyAccuracy!, 9);
  });

  it('generates through the job entry point from a serialized model', () => {
    const stored = JSON.parse(JSON.stringify(serializeVaeModel(trained.weights))) as ReturnType<typeof serializeVaeModel>;
    const restored: VaeWeights = deserializeVaeModel(stored);
    expect(restored.weights.map((w) => Array.from(w.values))).toEqual(trained.weights.weights.map((w) => Array.from(w.values)));
    const samples = generateVae({ family: VAE_FAMILY, model: stored, request: { use: 'sample', count: 3, options: { temperature: 0.5, seed: 4 } } });
    expect(samples.items).toHaveLength(3);
    expect(samples.items.every((item) => item.tokens.length === 16 && item.z.length === 8)).toBe(true);
    expect(generateVae({ family: VAE_FAMILY, model: stored, request: { use: 'sample', count: 3, options: { temperature: 0.5, seed: 4 } } }).items).toEqual(samples.items);
    expect(samples.pieces).toHaveLength(3);
    expect(samples.sequence.durationTicks).toBeLessThanOrEqual(3 * 2 * 1920);
    // A clip as the source: the segment is cut from its first two bars.
    const clip = tokensToPiece([train[2]!], TINY_CONFIG);
    const again = generateVae({ family: VAE_FAMILY, model: stored, request: { use: 'reconstruct', sources: [{ piece: clip }] } });
    expect(matches(again.items[0]!.tokens, train[2]!)).toBeGreaterThanOrEqual(0.9);
    const attribute = generateVae({ family: VAE_FAMILY, model: stored, request: { use: 'attribute', source: { tokens: train[3]! }, corpus: [...train, ...valid], attribute: 'note-density', amounts: [-1, 0, 1] } });
    expect(attribute.items.map((item) => item.position)).toEqual([-1, 0, 1]);
    expect(attribute.items[1]!.tokens).toEqual(reconstructVae(trained.weights, [train[3]!])[0]!.tokens);
    expect(() => generateVae({ family: VAE_FAMILY, model: stored, request: { use: 'interpolate', from: { tokens: train[0]! }, to: { tokens: [1, 2] }, steps: 3 } })).toThrow(/The end has 2 steps/);
    expect(() => sampleVae(restored, 0)).toThrow(/at least one sample/);
    expect(() => new VaeNet(restored).decode([[1, 2]], { temperature: 0 })).toThrow(/Code 1 has 2 dimensions; this model's latent space has 8/);
  });
});

describe('VaeModel', () => {
  it('scheduled sampling: the second pass is fed predictions (another loss than teacher forcing), seeded', () => {
    const batch = makeBatch(randomMelodies(7, 4), TINY_CONFIG);
    const step = (probability: number, seed: number): number => {
      const model = new VaeModel(engine.tf, engine.ops, TINY_CONFIG);
      const result = model.trainStep(batch, { beta: 0.1, freeNats: 0, samplingProbability: probability, samplingMode: 'sample', random: mulberry32(seed), clipNorm: 1 });
      model.dispose();
      return result.loss;
    };
    const teacherForced = step(0, 1);
    const sampled = step(1, 1);
    expect(sampled).not.toBeCloseTo(teacherForced, 4);
    expect(step(1, 1)).toBe(sampled);
    expect(step(1, 2)).not.toBe(sampled);
  });

  it('the flat decoder (no conductor) learns too, and free nats leave a small KL unpenalised', async () => {
    const model = new VaeModel(engine.tf, engine.ops, { ...TINY_CONFIG, hierarchical: false });
    const result = await trainVae(model, { train, valid: [] }, { ...TINY_SETTINGS, freeNats: 4, maxBeta: 1, betaRate: 0 }, {}, undefined, engine.ops.raw);
    model.dispose();
    expect(result.weights.weights.some((weight) => weight.name.startsWith('conductor'))).toBe(false);
    expect(greedyAccuracy(result.weights, train)).toBeGreaterThanOrEqual(0.9);
    expect(result.history.at(-1)!.trainKl).toBeGreaterThan(2);
  });
});
