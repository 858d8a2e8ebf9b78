/** The Models view's polyphonic parts: the Train form, the figures and curve, the continuation form. */
import { describe, expect, it } from 'vitest';
import { PolyphonicSettingsSchema, TrainModelInputSchema, type PolyphonicSettings } from '../../../core/ipc/schemas';
import { DEFAULT_GENERATE_FORM, lengthHint, stepUnitName, validateGenerateForm } from '../../../renderer/src/views/models/generate-form';
import {
  describeSettings,
  FAMILY_LABEL,
  formatFrameNll,
  frameNll,
  isNeuralModel,
  isPolyphonicModel,
  stepNoun,
} from '../../../renderer/src/views/models/model-format';
import {
  defaultPolyphonicModelName,
  defaultPolyphonicTrainForm,
  parseUnitList,
  validatePolyphonicTrainForm,
  type PolyphonicTrainForm,
} from '../../../renderer/src/views/models/polyphonic-train-form';
import { validateNeuralTrainForm, defaultNeuralTrainForm } from '../../../renderer/src/views/models/neural-train-form';
import { bestHeldOut, frameNllCurveData } from '../../../renderer/src/views/models/training-curve-model';
import { makeModel } from './fake-studio';

const common = { corpusId: 3, name: '' };

function errorsOf(form: PolyphonicTrainForm, context: { readonly corpusId: number | null; readonly name: string } = common) {
  const result = validatePolyphonicTrainForm(form, context);
  if (result.ok) throw new Error('expected errors');
  return result.errors;
}

describe('polyphonic train form', () => {
  it('starts from the contract’s defaults and sends exactly them', () => {
    const form = defaultPolyphonicTrainForm();
    expect(form).toMatchObject({ kind: 'rnn-nade', resolution: 4, units: '256, 256', nadeHidden: '128', epochs: '200', batchSize: '8', learningRate: '0.002' });
    const result = validatePolyphonicTrainForm(form, common);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.input).toEqual({ corpusId: 3, family: 'polyphonic', settings: PolyphonicSettingsSchema.parse({}) });
    expect(TrainModelInputSchema.safeParse(result.input).success).toBe(true);
  });

  it('turns a tiny baseline at quarter notes into its request, with the name the dialog shows', () => {
    const form: PolyphonicTrainForm = {
      ...defaultPolyphonicTrainForm(),
      kind: 'rnn-bernoulli',
      resolution: 1,
      units: '16 16',
      nadeHidden: '8',
      epochs: '3',
      batchSize: '4',
      learningRate: '1e-2',
      patience: '0',
      dropout: '0',
      inputDropout: '.05',
      transpose: '0',
      seed: '42',
    };
    const result = validatePolyphonicTrainForm(form, { corpusId: 9, name: '  My chorales ' });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const settings: PolyphonicSettings = {
      family: 'polyphonic',
      representation: 'pianoroll',
      kind: 'rnn-bernoulli',
      resolution: 1,
      units: [16, 16],
      nadeHidden: 8,
      maxIterations: 3,
      batchSize: 4,
      learningRate: 0.01,
      patience: 0,
      dropout: 0,
      inputDropout: 0.05,
      transpose: 0,
      seed: 42,
    };
    expect(result.input).toEqual({ corpusId: 9, name: 'My chorales', family: 'polyphonic', settings });
    expect(defaultPolyphonicModelName(settings)).toBe('Independent baseline 16×2 · quarters');
    expect(defaultPolyphonicModelName({ kind: 'rnn-nade', units: [256, 128], resolution: 4 })).toBe('RNN-NADE 256+128 · 16ths');
  });

  it('shows the schema’s own messages, and a sentence where the schema has none', () => {
    const form = defaultPolyphonicTrainForm();
    expect(errorsOf({ ...form, units: '32, 0' }).units).toBe('Every LSTM layer needs at least one unit.');
    expect(errorsOf({ ...form, units: '' }).units).toBe('Give at least one LSTM layer.');
    expect(errorsOf({ ...form, units: '32, big' }).units).toBe('Layer 2: units are whole numbers, e.g. 256 or 256, 256.');
    expect(errorsOf({ ...form, epochs: '0' }).epochs).toBe('Train for at least one epoch.');
    expect(errorsOf({ ...form, batchSize: '0' }).batchSize).toBe('A batch holds at least one piece.');
    expect(errorsOf({ ...form, learningRate: '2' }).learningRate).toBe('A learning rate above 1 makes Adam diverge.');
    expect(errorsOf({ ...form, learningRate: '0' }).learningRate).toBe('The learning rate must be above 0.');
    expect(errorsOf({ ...form, learningRate: 'NaN' }).learningRate).toBe('The learning rate must be a number (not NaN or infinite).');
    expect(errorsOf({ ...form, learningRate: 'fast' }).learningRate).toBe('The learning rate is a number such as 0.002.');
    expect(errorsOf({ ...form, dropout: '0.95' }).dropout).toBe('Dropout is at most 0.9.');
    expect(errorsOf({ ...form, inputDropout: '1' }).inputDropout).toBe('Dropout is at most 0.9.');
    expect(errorsOf({ ...form, nadeHidden: '0' }).nadeHidden).toBe('The NADE hidden size is at least 1.');
    expect(errorsOf({ ...form, transpose: '13' }).transpose).toBe('The transposition is at most 12.');
    expect(errorsOf({ ...form, patience: '1.5' }).patience).toBe('The patience is a whole number.');
    expect(errorsOf({ ...form, seed: '' }).seed).toBe('Enter the seed.');
    expect(errorsOf({ ...form, resolution: 49 }).resolution).toBe('The resolution is at most 48.');
    expect(errorsOf(form, { corpusId: null, name: 'x'.repeat(201) })).toEqual({
      corpusId: 'Choose the corpus to train on.',
      name: 'A name is at most 200 characters.',
    });
  });

  it('reads unit lists as typed', () => {
    expect(parseUnitList('64, 64')).toEqual({ value: [64, 64] });
    expect(parseUnitList(' 128 ')).toEqual({ value: [128] });
    expect(parseUnitList('')).toEqual({ value: [] });
  });

  it('keeps the neural form to LSTMs and transformers', () => {
    const result = validateNeuralTrainForm(defaultNeuralTrainForm('lstm'), common);
    expect(result.ok && result.input.family).toBe('lstm');
  });
});

describe('a polyphonic model in the Models view', () => {
  const settings = PolyphonicSettingsSchema.parse({ units: [64], seed: 7 });
  const model = makeModel({
    id: 5,
    family: 'polyphonic',
    representation: 'pianoroll',
    settings,
    iterations: 3,
    history: [
      { iteration: 1, logLikelihoodPerToken: -9.5, validLogLikelihoodPerToken: -9.9, learningRate: 0.002 },
      { iteration: 2, logLikelihoodPerToken: -7.25, validLogLikelihoodPerToken: -7.5 },
      { iteration: 3, logLikelihoodPerToken: -6.5, validLogLikelihoodPerToken: -7.75 },
      // A resumed run reporting epoch 3 again: the later report wins.
      { iteration: 3, logLikelihoodPerToken: -6.25, validLogLikelihoodPerToken: -7.625 },
    ],
    validLogLikelihoodPerToken: -7.5,
  });

  it('is its own family: epochs, no top-k, a frame NLL', () => {
    expect(FAMILY_LABEL.polyphonic).toBe('Polyphonic');
    expect(isPolyphonicModel(model)).toBe(true);
    expect(isNeuralModel(model)).toBe(false);
    expect(stepNoun(model)).toBe('epoch');
    expect(describeSettings(settings)).toBe('RNN-NADE (joint) · LSTM 64 · NADE 128 · 16ths · batch 8 · lr 0.002 · dropout 0.3 / input 0.1 · ±6 st · patience 20 · seed 7');
    expect(describeSettings({ ...settings, kind: 'rnn-bernoulli', resolution: 1, dropout: 0, inputDropout: 0, transpose: 0, patience: 0 })).toBe(
      'Independent (baseline) · LSTM 64 · quarters · batch 8 · lr 0.002 · no early stop · seed 7',
    );
  });

  it('draws the curve as frame NLL in nats per step (minus what the history stores), lower is better', () => {
    const curve = frameNllCurveData(model.history);
    expect(curve.iterations).toEqual([1, 2, 3]);
    expect(curve.train).toEqual([9.5, 7.25, 6.25]);
    expect(curve.valid).toEqual([9.9, 7.5, 7.625]);
    expect(bestHeldOut(curve)).toEqual({ epoch: 2, value: 7.5 });
    expect(frameNll(model.validLogLikelihoodPerToken)).toBe(7.5);
    expect(frameNll(null)).toBeNull();
    expect(frameNll(-0)).toBe(0);
    expect(formatFrameNll(5.19234)).toBe('5.192');
    expect(formatFrameNll(null)).toBe('—');
  });

  it('continues polyphonically: a primer, steps or bars, no top-k or top-p, a temperature above 0', () => {
    expect(stepUnitName('pianoroll')).toBe('grid steps');
    expect(lengthHint('pianoroll', 'bars', 4)).toBe('Bars of 4/4 (16 steps each).');
    expect(lengthHint('pianoroll', 'steps', 4)).toBe('Grid steps of 1/16 note, each a chord or a rest.');
    const form = { ...DEFAULT_GENERATE_FORM, count: '3', lengthValue: '64', lengthUnit: 'steps' as const, temperature: 0.8, seed: '11', topK: '5', topP: '0.5', primerClipId: 12 };
    expect(validateGenerateForm(form, 5, { polyphonic: true })).toEqual({
      ok: true,
      input: { modelId: 5, count: 3, length: { unit: 'steps', value: 64 }, temperature: 0.8, seed: 11, primerClipId: 12 },
    });
    expect(validateGenerateForm({ ...form, primerClipId: null }, 5, { polyphonic: true, neural: true })).toEqual({
      ok: true,
      input: { modelId: 5, count: 3, length: { unit: 'steps', value: 64 }, temperature: 0.8, seed: 11 },
    });
    expect(validateGenerateForm({ ...form, temperature: 0 }, 5, { polyphonic: true })).toEqual({
      ok: false,
      errors: { temperature: 'The temperature is above 0 (a polyphonic model samples each step’s chord).' },
    });
  });
});
