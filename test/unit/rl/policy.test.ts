// The policy: the log-probabilities its gradient step differentiates are those the stepper sampled
// with; on a toy reward preferring one pitch class (no discriminator) its share of that class rises,
// and a large KL weight keeps the policy near the start model.
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../core/models/hmm/random';
import { noteStepper, type NoteStepLstmConfig } from '../../../core/models/neural/note-step-lstm';
import { createTfjsOps, type NeuralOps, type Tf } from '../../../core/models/neural/ops';
import { primerPieces, sampleEpisodes } from '../../../core/models/rl/episodes';
import { RlPolicy } from '../../../core/models/rl/policy';
import { startInferenceWeights, startModelFromSaved } from '../../../core/models/rl/start-model';
import { trainRl, type RlTrainResult } from '../../../core/models/rl/train';
import type { RlSettings } from '../../../core/models/rl/settings';
import { createEngine } from '../../../electron/workers/neural/engine';
import { cMajorMelody, corpusOf, savedLstm, TINY_LSTM, TINY_RL } from './helpers';

let tf: Tf;
let ops: NeuralOps;
beforeAll(async () => {
  tf = (await createEngine({ prefer: 'cpu' })).tf;
  ops = createTfjsOps(tf);
});

const corpus = corpusOf(Array.from({ length: 6 }, (_, k) => cMajorMelody(k + 1, 24)));

describe('policy log-probabilities', () => {
  const cases: [string, NoteStepLstmConfig, number][] = [
    ['pitch/128 input, one layer, a primer', TINY_LSTM, 3],
    ['embedding, velocity, two layers, a primer', { ...TINY_LSTM, units: [6, 5], pitchEmbedding: 4, velocity: true }, 2],
    ['no primer (the first note from the zero state)', TINY_LSTM, 0],
  ];
  for (const [what, config, primerLength] of cases) {
    it(`are the sampler's (${what})`, () => {
      const start = startModelFromSaved(savedLstm(config));
      const policy = new RlPolicy(tf, ops, start, 0.01);
      try {
        const options = { batchSize: 3, primerLength, episodeLength: 5, temperature: 0.7, hasVelocity: config.velocity };
        const episodes = sampleEpisodes(noteStepper(policy.inferenceWeights(), ops.raw), noteStepper(startInferenceWeights(start), ops.raw), corpus, primerPieces(corpus, primerLength), options, mulberry32(5));
        const tensor = policy.logProbabilities(episodes, 0.7);
        const values = Array.from(tensor.dataSync());
        tensor.dispose();
        values.forEach((value, k) => expect(value, `action ${k}`).toBeCloseTo(episodes.logPolicy[k]!, 4));
        // Policy = start model at first: no KL, log π = log p₀.
        expect(Math.max(...Array.from(episodes.kl))).toBeLessThan(1e-6);
        expect(Array.from(episodes.logReference)).toEqual(Array.from(episodes.logPolicy));
        expect(Math.min(...Array.from(episodes.entropy))).toBeGreaterThan(1);
      } finally {
        policy.dispose();
      }
    });
  }
});

describe('REINFORCE on a toy reward', () => {
  // The in-key term with a "scale" of one pitch class, C: the reward is 1 per C. No discriminator.
  const toy: RlSettings = {
    ...TINY_RL,
    iterations: 30,
    batchSize: 12,
    episodeLength: 12,
    primerLength: 2,
    learningRate: 0.03,
    clipNorm: 5,
    key: { kind: 'fixed', tonic: 0, pitchClasses: [0] },
    rewards: { ...TINY_RL.rewards, discriminator: 0, inKey: 1, repeats: 0, resolution: 0, kl: 0 },
    discriminatorSteps: 0,
    discriminatorWarmup: 0,
  };
  const share = (result: RlTrainResult, from: number, to: number): number => {
    const records = result.history.slice(from, to);
    return records.reduce((sum, record) => sum + record.pitchClassShare[0]!, 0) / records.length;
  };
  let free: RlTrainResult;

  it("raises the share of the rewarded pitch class", async () => {
    free = await trainRl({ tf, ops }, startModelFromSaved(savedLstm()), corpus, toy, { now: () => 0 });
    const before = share(free, 0, 3);
    const after = share(free, 27, 30);
    expect(before).toBeLessThan(0.15); // 11 of 128 pitches are Cs: near-uniform at first
    expect(after).toBeGreaterThan(0.35);
    expect(after).toBeGreaterThan(3 * before);
    expect(free.history.at(-1)!.inKeyShare).toBeCloseTo(free.history.at(-1)!.pitchClassShare[0]!, 6);
    expect(free.history.at(-1)!.discriminatorAccuracy).toBeNull();
  });

  it('stays near the start model with a large KL weight', async () => {
    const held = await trainRl({ tf, ops }, startModelFromSaved(savedLstm()), corpus, { ...toy, rewards: { ...toy.rewards, kl: 10 } }, { now: () => 0 });
    expect(share(held, 27, 30)).toBeLessThan(0.15);
    const kl = (result: RlTrainResult) => result.history.slice(-3).reduce((sum, record) => sum + record.kl, 0) / 3;
    expect(kl(held)).toBeLessThan(0.05);
    expect(kl(free)).toBeGreaterThan(5 * kl(held));
  });
});
