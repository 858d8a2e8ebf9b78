import { describe, expect, it } from 'vitest';
import type { ModelSummary, TrainingPoint } from '../../../core/ipc/schemas';
import { chartData, chartsOf, formatMetric, otherMetrics, VAE_CHARTS } from '../../../renderer/src/views/models/metric-curves';
import { describeSettings, FAMILY_LABEL } from '../../../renderer/src/views/models/model-format';
import { validateGenerateForm, DEFAULT_GENERATE_FORM } from '../../../renderer/src/views/models/generate-form';
import { defaultVaeTrainForm, segmentStepsOf, validateVaeTrainForm, vaePlaceholderName } from '../../../renderer/src/views/models/vae-train-form';
import { defaultInterpolateForm, describeInterpolation, validateInterpolateForm, validateReconstructForm } from '../../../renderer/src/views/models/vae-uses';

const common = { corpusId: 3, name: '' };

describe('the VAE train form', () => {
  it('sends the contract defaults as a vae request', () => {
    const result = validateVaeTrainForm(defaultVaeTrainForm(), common);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.input.family).toBe('vae');
    expect(result.input.settings).toMatchObject({ bars: 2, beatsPerBar: 4, resolution: 4, hierarchical: true, latentSize: 256, maxIterations: 50, samplingRate: 1000 });
    expect(vaePlaceholderName(result.input.settings)).toBe('MusicVAE 2 bars · z 256');
    expect(segmentStepsOf(result.input.settings)).toBe(32);
    expect(describeSettings(result.input.settings)).toContain('2 bars of 4/4');
  });

  it('names the wrong fields with the schema’s limits and its own messages', () => {
    const form = defaultVaeTrainForm();
    const result = validateVaeTrainForm({ ...form, texts: { ...form.texts, bars: '0', latentSize: 'x', samplingRate: '0.5', learningRate: '2' } }, { corpusId: null, name: '' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.bars).toBe('A segment holds at least one bar.');
    expect(result.errors.latentSize).toBe('Latent size is a whole number.');
    expect(result.errors.learningRate).toBe('A learning rate above 1 makes Adam diverge.');
    expect(result.errors.corpusId).toBe('Choose the corpus to train on.');
  });

  it('refuses a scheduled-sampling rate between 0 and 1, and takes 0 (off) and a flat decoder', () => {
    const form = defaultVaeTrainForm();
    const bad = validateVaeTrainForm({ ...form, texts: { ...form.texts, samplingRate: '0.5' } }, common);
    expect(bad.ok ? null : bad.errors.samplingRate).toBe('The scheduled-sampling rate is 0 (off) or at least 1.');
    const off = validateVaeTrainForm({ hierarchical: false, texts: { ...form.texts, samplingRate: '0' } }, common);
    expect(off.ok && off.input.settings.samplingRate).toBe(0);
    expect(off.ok && off.input.settings.hierarchical).toBe(false);
  });
});

describe('the VAE curves', () => {
  const history: TrainingPoint[] = [
    { iteration: 1, logLikelihoodPerToken: -2, metrics: { reconstructionAccuracy: 0.5, kl: 3, beta: 0.1, validNllBoundPerToken: 2.4, validAccuracy: 0.4, validGreedyAccuracy: 0.45 } },
    { iteration: 2, logLikelihoodPerToken: -1.5, metrics: { reconstructionAccuracy: 0.7, kl: 5, beta: 0.2, validNllBoundPerToken: 2.1, validAccuracy: 0.6, mystery: 7 } },
  ];
  it('plots the bound (minus the stored likelihood) and the held-out bound per epoch', () => {
    const bound = VAE_CHARTS.find((chart) => chart.id === 'bound')!;
    expect(bound.title).toContain('≥ NLL');
    expect(chartData(history, bound)).toEqual({ iterations: [1, 2], values: [[2, 1.5], [2.4, 2.1]] });
    const accuracy = chartData(history, VAE_CHARTS.find((chart) => chart.id === 'accuracy')!);
    expect(accuracy.values[0]).toEqual([0.5, 0.7]);
    expect(formatMetric(0.7, true)).toBe('70.0%');
  });
  it('lists the keys no chart shows by name, with their last value', () => {
    expect(otherMetrics(history, 'vae')).toEqual([
      { key: 'mystery', value: 7 },
      { key: 'validGreedyAccuracy', value: 0.45 },
    ]);
    expect(chartsOf('lstm')).toEqual([]);
    expect(FAMILY_LABEL.vae).toBe('MusicVAE');
  });
});

describe('the VAE uses', () => {
  it('samples without a length or a primer', () => {
    const result = validateGenerateForm({ ...DEFAULT_GENERATE_FORM, lengthValue: '', primerClipId: 4, count: '3', temperature: 0.8 }, 9, { vae: true });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.input).toMatchObject({ modelId: 9, count: 3, temperature: 0.8 });
    expect(result.input.primerClipId).toBeUndefined();
    const zero = validateGenerateForm({ ...DEFAULT_GENERATE_FORM, temperature: 0 }, 9, { vae: true });
    expect(zero.ok ? null : zero.errors.temperature).toContain('above 0');
  });

  it('interpolates between two clips with 1-based bars sent 0-based', () => {
    const form = { ...defaultInterpolateForm([5, 6]), fromBar: '3', steps: '4', method: 'lerp' as const };
    const result = validateInterpolateForm(form, 2);
    expect(result.ok && result.input).toEqual({ modelId: 2, from: { clipId: 5, startBar: 2 }, to: { clipId: 6, startBar: 0 }, steps: 4, method: 'lerp', temperature: 0.5 });
    expect(describeInterpolation(4, 2)).toBe('4 steps × 2 bars = 8 bars, in one clip (A first, B last)');
    const bad = validateInterpolateForm({ ...defaultInterpolateForm([5]), steps: '1', fromBar: '0' }, 2);
    expect(bad.ok ? null : bad.errors).toEqual({
      toClipId: 'Choose clip B.',
      fromBar: 'The start bar of A is a whole number from 1 to 100,000.',
      steps: 'The number of steps is a whole number from 2 to 64.',
    });
  });

  it('reconstructs the open clip from the chosen bar', () => {
    const result = validateReconstructForm({ modelId: 2, count: '2', temperature: 0.5, startBar: '5', seed: '7' }, 11);
    expect(result.ok && result.input).toEqual({ modelId: 2, clipId: 11, count: 2, temperature: 0.5, startBar: 4, seed: 7 });
    const none = validateReconstructForm({ modelId: null, count: '0', temperature: 0.5, startBar: '1', seed: '' }, 11);
    expect(none.ok ? null : Object.keys(none.errors).sort()).toEqual(['count', 'modelId']);
  });
});

export type { ModelSummary };
