// The Models view's neural parts apart from React: the Train dialog's LSTM and transformer forms,
// the Generate form's neural options, the loss curve's data, and how neural models read.
import { describe, expect, it } from 'vitest';
import { LstmSettingsSchema, TransformerSettingsSchema, type ModelSummary } from '../../../core/ipc/schemas';
import { validateGenerateForm, DEFAULT_GENERATE_FORM, lengthHint, stepUnitName } from '../../../renderer/src/views/models/generate-form';
import { describeSettings, ENGINE_LABEL, FAMILY_LABEL, perplexity, resumePlan, stepNoun } from '../../../renderer/src/views/models/model-format';
import { defaultNeuralTrainForm, parseUnits, validateNeuralTrainForm } from '../../../renderer/src/views/models/neural-train-form';
import { lossCurveData } from '../../../renderer/src/views/models/training-curve-model';

const common = { corpusId: 4, name: '' };

describe('the neural train form', () => {
  it('starts from the contract’s defaults and sends exactly them', () => {
    const lstm = validateNeuralTrainForm(defaultNeuralTrainForm('lstm'), common);
    expect(lstm.ok).toBe(true);
    if (!lstm.ok) return;
    expect(lstm.input).toEqual({ corpusId: 4, family: 'lstm', settings: LstmSettingsSchema.parse({}) });
    const transformer = validateNeuralTrainForm(defaultNeuralTrainForm('transformer'), { corpusId: 4, name: '  Mine ' });
    expect(transformer.ok && transformer.input).toEqual({ corpusId: 4, name: 'Mine', family: 'transformer', settings: TransformerSettingsSchema.parse({}) });
  });

  it('reads stacked layers and refuses zero units, a NaN learning rate and heads that do not divide the model', () => {
    expect(parseUnits('128, 64')).toEqual({ value: [128, 64] });
    expect(parseUnits('256×2')).toEqual({ value: [256, 2] });
    const form = { ...defaultNeuralTrainForm('lstm'), units: '64, 0', learningRate: 'NaN', windowLength: '0', dropout: '0.95' };
    const result = validateNeuralTrainForm(form, common);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual({
      units: 'Layer 2 has 0 units: every LSTM layer needs at least one.',
      learningRate: 'The learning rate is a number such as 0.005.',
      windowLength: 'The window length is a whole number from 1 to 1,024.',
      dropout: 'Dropout is at most 0.9.',
    });
    const heads = validateNeuralTrainForm({ ...defaultNeuralTrainForm('transformer'), heads: '3', learningRate: '0' }, { corpusId: null, name: '' });
    expect(heads.ok ? {} : heads.errors).toEqual({
      corpusId: 'Choose the corpus to train on.',
      modelSize: 'The model size must be a multiple of the number of heads (3).',
      learningRate: 'The learning rate must be above 0.',
    });
  });

  it('sends what was typed, stacked layers, loss weights and augmentation included', () => {
    const form = {
      ...defaultNeuralTrainForm('lstm'),
      units: '64 64',
      windowLength: '16',
      pitchEmbedding: '0',
      velocity: false,
      lossPitch: '1',
      transpose: '5',
      timeStretch: '0.1',
      schedule: 'step' as const,
      epochs: '40',
      patience: '0',
    };
    const result = validateNeuralTrainForm(form, common);
    expect(result.ok && result.input.settings).toMatchObject({
      units: [64, 64],
      windowLength: 16,
      pitchEmbedding: 0,
      velocity: false,
      lossWeights: { pitch: 1, step: 1, duration: 1, velocity: 1 },
      transpose: 5,
      timeStretch: 0.1,
      schedule: 'step',
      maxIterations: 40,
      patience: 0,
    });
  });
});

describe('the generate form for neural models', () => {
  it('sends one temperature, and top-k, top-p and the primer only when given', () => {
    const form = { ...DEFAULT_GENERATE_FORM, advanced: true, temperature: 0.7, topK: '20', topP: '0.9', primerClipId: 12 };
    expect(validateGenerateForm(form, 3, { neural: true })).toEqual({
      ok: true,
      input: { modelId: 3, count: 4, length: { unit: 'bars', value: 8 }, temperature: 0.7, topK: 20, topP: 0.9, primerClipId: 12 },
    });
    // An HMM never sends them.
    expect(validateGenerateForm(form, 3)).toEqual({
      ok: true,
      input: { modelId: 3, count: 4, length: { unit: 'bars', value: 8 }, temperature: { initial: 1, transition: 1, emission: 1 } },
    });
    expect(validateGenerateForm({ ...DEFAULT_GENERATE_FORM, topK: '0', topP: '1.5' }, 3, { neural: true })).toEqual({
      ok: false,
      errors: { topK: 'Top-k is a whole number from 1 to 1,024 (empty: off).', topP: 'top-p is a number above 0 and at most 1, e.g. 0.9 (empty: off).' },
    });
    expect(stepUnitName('note-steps')).toBe('notes');
    expect(lengthHint('note-steps', 'steps', 4)).toBe('Notes, one per prediction.');
  });
});

function neuralModel(overrides: Partial<ModelSummary>): ModelSummary {
  return {
    id: 1,
    name: 'LSTM 128 · window 25',
    family: 'lstm',
    corpusId: 1,
    corpusName: 'C',
    representation: 'note-steps',
    status: 'trained',
    settings: LstmSettingsSchema.parse({}),
    iterations: 20,
    history: [],
    validLogLikelihoodPerToken: null,
    trainTokens: 0,
    engine: 'wasm',
    engineReason: 'native unavailable: STUDIO_NATIVE=off; wasm backend (SIMD, 1 thread, matmul-transpose and slice fixes)',
    trainingSeconds: 0,
    sizeBytes: 0,
    jobId: null,
    error: null,
    createdAt: '2025-01-01T10:00:00.000Z',
    updatedAt: '2025-01-01T10:00:00.000Z',
    ...overrides,
  };
}

describe('neural models in the view', () => {
  it('draw train and validation loss by epoch, a resumed run’s repeat winning', () => {
    const curve = lossCurveData([
      { iteration: 2, logLikelihoodPerToken: -2, trainLoss: 0.8, validLoss: 0.9 },
      { iteration: 1, logLikelihoodPerToken: -3, trainLoss: 1.2 },
      { iteration: 2, logLikelihoodPerToken: -2, trainLoss: 0.7, validLoss: 0.85 },
      { iteration: 3, logLikelihoodPerToken: -2, trainLoss: Number.NaN },
    ]);
    expect(curve).toEqual({ iterations: [1, 2], train: [1.2, 0.7], valid: [null, 0.85] });
  });

  it('read as epochs, with their engine path, settings in one line and a pitch perplexity', () => {
    const model = neuralModel({});
    expect(stepNoun(model)).toBe('epoch');
    expect(FAMILY_LABEL[model.family]).toBe('LSTM');
    expect([ENGINE_LABEL.native, ENGINE_LABEL.wasm, ENGINE_LABEL.cpu]).toEqual(['Native (C++)', 'WebAssembly', 'CPU']);
    expect(describeSettings(model.settings)).toBe('LSTM 128 · window 25 · embed 32 · velocity · batch 64 · lr 0.005 cosine · patience 5 · seed 1');
    expect(describeSettings(TransformerSettingsSchema.parse({ transpose: 3 }))).toBe(
      '2 layers · 4 heads · d 128 · context 128 · 4 steps/quarter · batch 16 · lr 0.001 cosine · dropout 0.1 · ±3 st · patience 5 · seed 1',
    );
    expect(perplexity(-Math.log(5), 'note-steps')).toBeCloseTo(5, 10);
    expect(resumePlan(model)).toEqual({ kind: 'extend', maxIterations: 70 });
  });
});
