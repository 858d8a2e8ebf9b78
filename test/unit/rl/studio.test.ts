import { describe, expect, it } from 'vitest';
import { RlSettingsSchema } from '../../../core/ipc/schemas';
import { DEFAULT_RL_SETTINGS, validateRlSettings } from '../../../core/models/rl/settings';
import { rlSettingsOf, rlTrainingPointOf } from '../../../core/models/rl/studio';

describe('the RL settings mapping', () => {
  it('maps the studio settings onto the tuner defaults', () => {
    const studio = RlSettingsSchema.parse({ startModelId: 3, episodeLength: 12, primerLength: 2, batchSize: 5, maxIterations: 9, rewards: { inKey: 2, kl: 0 }, discriminatorWindow: 6, discriminatorFilters: 7, discriminatorWarmup: 4, seed: 11 });
    const settings = rlSettingsOf(studio);
    expect(settings).toMatchObject({ episodeLength: 12, primerLength: 2, batchSize: 5, iterations: 9, discriminatorWarmup: 4, discriminatorSteps: 1, seed: 11 });
    expect(settings.rewards).toMatchObject({ inKey: 2, kl: 0, discriminator: 1, discriminatorAt: 'end', leap: 5 });
    expect(settings.discriminator).toMatchObject({ windowLength: 6, filters: 7, seed: 11, kernelSize: 3 });
    expect(settings.clipNorm).toBe(DEFAULT_RL_SETTINGS.clipNorm);
    expect(() => validateRlSettings(settings)).not.toThrow();
    expect(() => validateRlSettings(rlSettingsOf({ ...studio, batchSize: 1 }))).toThrow(/batch-mean baseline/);
  });

  it('reports an iteration with its reward terms and discriminator accuracy as metrics', () => {
    const point = rlTrainingPointOf({
      iteration: 2,
      reward: 1.5,
      terms: { discriminator: -1, inKey: 2, repeats: 0, resolution: 0.5, kl: 0 },
      logDReal: -0.7,
      discriminatorAccuracy: { real: 0.6, fake: 0.8 },
      discriminatorLoss: 1.2,
      kl: 0.05,
      entropy: 1.1,
      inKeyShare: 0.9,
      pitchClassShare: new Array<number>(12).fill(1 / 12),
      gradientNorm: 0.3,
      seconds: 2,
    });
    expect(point).toMatchObject({ iteration: 2, logLikelihoodPerToken: -1.1 });
    expect(point.metrics).toMatchObject({ reward: 1.5, rewardDiscriminator: -1, rewardInKey: 2, discriminatorAccuracyReal: 0.6, discriminatorAccuracyFake: 0.8, kl: 0.05, entropy: 1.1, inKeyShare: 0.9 });
  });
});
