import { describe, expect, it } from 'vitest';
import type { ModelSummary, TrainingPoint } from '../../../core/ipc/schemas';
import { chartData, RL_CHARTS } from '../../../renderer/src/views/models/metric-curves';
import { describeSettings, stepNoun } from '../../../renderer/src/views/models/model-format';
import { defaultRlTrainForm, noStartModelAdvice, startModelChoices, validateRlTrainForm } from '../../../renderer/src/views/models/rl-train-form';

function model(id: number, family: ModelSummary['family'], iterations: number, status: ModelSummary['status'] = 'trained'): ModelSummary {
  return { id, name: `${family} ${id}`, family, iterations, status, corpusId: 1, corpusName: 'Scales' } as ModelSummary;
}

describe('the RL train form', () => {
  const models = [model(1, 'hmm', 5), model(2, 'lstm', 0, 'training'), model(3, 'lstm', 4)];

  it('offers trained LSTMs only and starts from the first', () => {
    expect(startModelChoices(models).map((candidate) => candidate.id)).toEqual([3]);
    const form = defaultRlTrainForm(models);
    expect(form.startModelId).toBe(3);
    const result = validateRlTrainForm(form, { corpusId: 1, name: '' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.input.settings).toMatchObject({ startModelId: 3, episodeLength: 32, batchSize: 16, maxIterations: 200, rewards: { discriminator: 1, kl: 0.2, maxRepeats: 3 } });
    expect(describeSettings(result.input.settings)).toContain('episodes of 32 notes');
  });

  it('says how to get a start model when there is none', () => {
    const none = defaultRlTrainForm([model(1, 'hmm', 5)]);
    expect(none.startModelId).toBeNull();
    const result = validateRlTrainForm(none, { corpusId: 1, name: '' });
    expect(result.ok ? null : result.errors.startModelId).toBe('Choose the trained LSTM to start from.');
    expect(noStartModelAdvice([model(1, 'hmm', 5)])).toContain('train one first');
    expect(noStartModelAdvice([model(2, 'lstm', 0, 'training')])).toContain('still on its first epoch');
  });

  it('maps nested reward weights and their limits back to the fields', () => {
    const form = defaultRlTrainForm(models);
    const result = validateRlTrainForm({ ...form, texts: { ...form.texts, rewardKl: '-1', maxRepeats: '1.5', temperature: '0' } }, { corpusId: 1, name: '' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.rewardKl).toBe('KL to start model is at least 0.');
    expect(result.errors.maxRepeats).toBe('Max repeats is a whole number.');
    expect(result.errors.temperature).toBe('The temperature is above 0.');
  });
});

describe('the RL curves', () => {
  it('reads the reward, its terms, the discriminator accuracy and the KL by iteration', () => {
    const history: TrainingPoint[] = [
      { iteration: 2, logLikelihoodPerToken: -1, metrics: { reward: 0.5, rewardDiscriminator: -0.6, discriminatorAccuracyReal: 0.9, discriminatorAccuracyFake: 0.7, kl: 0.1 } },
      { iteration: 1, logLikelihoodPerToken: -1, metrics: { reward: 0.2, kl: 0.05 } },
    ];
    const reward = chartData(history, RL_CHARTS.find((chart) => chart.id === 'reward')!);
    expect(reward.iterations).toEqual([1, 2]);
    expect(reward.values[0]).toEqual([0.2, 0.5]);
    expect(reward.values[1]).toEqual([null, -0.6]);
    const discriminator = chartData(history, RL_CHARTS.find((chart) => chart.id === 'discriminator')!);
    expect(discriminator.values).toEqual([[null, 0.9], [null, 0.7]]);
    expect(stepNoun({ family: 'rl' })).toBe('iteration');
    expect(stepNoun({ family: 'vae' })).toBe('epoch');
  });
});
