// The "New comparison" form: which models can be compared, the corpus offered first, and the
// validation into a comparisons.create request the contract accepts.
import { describe, expect, it } from 'vitest';
import { CreateComparisonInputSchema } from '../../../core/ipc/schemas';
import {
  DEFAULT_COMPARE_FORM,
  describeRequest,
  eligibility,
  initialCorpus,
  modelsForCorpus,
  toggleModel,
  validateCompareForm,
} from '../../../renderer/src/views/compare/compare-form';
import { makeModel } from './fake-studio';

const models = [
  makeModel({ id: 5, corpusId: 1, status: 'trained', iterations: 10 }),
  makeModel({ id: 4, corpusId: 1, status: 'training', iterations: 3 }),
  makeModel({ id: 3, corpusId: 1, status: 'stopped', iterations: 0 }),
  makeModel({ id: 2, corpusId: 1, status: 'stopped', iterations: 2 }),
  makeModel({ id: 1, corpusId: 2, status: 'trained', iterations: 8 }),
  makeModel({ id: 6, corpusId: 1, status: 'failed', iterations: 4 }),
];

describe('eligibility', () => {
  it('accepts trained models and stopped ones with an iteration, and says why not otherwise', () => {
    expect(eligibility(models[0]!)).toEqual({ ok: true });
    expect(eligibility(models[3]!)).toEqual({ ok: true });
    expect(eligibility(models[1]!)).toEqual({ ok: false, reason: 'still training' });
    expect(eligibility(models[2]!)).toEqual({ ok: false, reason: 'not trained yet' });
    expect(eligibility(models[5]!)).toEqual({ ok: false, reason: 'training failed' });
  });

  it('lists a corpus’s models, comparable ones first, in the given order', () => {
    expect(modelsForCorpus(models, 1).map((model) => model.id)).toEqual([5, 2, 4, 3, 6]);
    expect(modelsForCorpus(models, 2).map((model) => model.id)).toEqual([1]);
    expect(modelsForCorpus(models, null)).toEqual([]);
  });

  it('offers the preferred corpus if it has comparable models, else the first that has', () => {
    const corpora = [{ id: 3 }, { id: 2 }, { id: 1 }];
    expect(initialCorpus(corpora, models, 1)).toBe(1);
    expect(initialCorpus(corpora, models, 3)).toBe(2);
    expect(initialCorpus(corpora, models, null)).toBe(2);
    expect(initialCorpus(corpora, [], 3)).toBe(3);
    expect(initialCorpus([], [], null)).toBeNull();
  });

  it('toggles a model in and out of the selection', () => {
    expect(toggleModel([5], 2, true)).toEqual([5, 2]);
    expect(toggleModel([5, 2], 2, true)).toEqual([5, 2]);
    expect(toggleModel([5, 2], 5, false)).toEqual([2]);
  });
});

describe('validateCompareForm', () => {
  it('turns a valid form into a request the contract accepts', () => {
    const result = validateCompareForm({ ...DEFAULT_COMPARE_FORM, corpusId: 1, modelIds: [5, 2], samples: '4', lengthValue: '16', lengthUnit: 'steps', seed: '99', referenceSplit: 'valid' }, models);
    expect(result).toEqual({
      ok: true,
      input: { corpusId: 1, modelIds: [5, 2], samplesPerModel: 4, length: { unit: 'steps', value: 16 }, seed: 99, referenceSplit: 'valid' },
    });
    if (result.ok) expect(CreateComparisonInputSchema.safeParse(result.input).success).toBe(true);
    expect(result.ok && describeRequest(result.input)).toBe('2 models × 4 samples of 16 steps');
  });

  it('leaves out models that are not of the corpus or cannot be compared', () => {
    const result = validateCompareForm({ ...DEFAULT_COMPARE_FORM, corpusId: 1, modelIds: [5, 4, 1, 3] }, models);
    expect(result.ok && result.input.modelIds).toEqual([5]);
    expect(result.ok && describeRequest(result.input)).toBe('1 model × 8 samples of 8 bars');
  });

  it('says what is wrong with each field', () => {
    const result = validateCompareForm({ ...DEFAULT_COMPARE_FORM, corpusId: 1, modelIds: [4], samples: '0', lengthValue: 'eight', seed: '-1' }, models);
    expect(result).toEqual({
      ok: false,
      errors: {
        modelIds: 'Choose at least one trained model.',
        samples: 'The samples per model is a whole number from 1 to 64.',
        lengthValue: 'The length is a whole number from 1 to 10,000.',
        seed: 'A seed is a whole number from 0 to 2,147,483,647.',
      },
    });
    expect(validateCompareForm({ ...DEFAULT_COMPARE_FORM, corpusId: null }, models)).toMatchObject({ ok: false, errors: { corpusId: 'Choose a corpus.' } });
    expect(validateCompareForm({ ...DEFAULT_COMPARE_FORM, corpusId: 1, modelIds: [5], samples: '' }, models)).toMatchObject({ ok: false, errors: { samples: 'Enter the samples per model.' } });
  });

  it('refuses more than eight models, as main does', () => {
    const many = Array.from({ length: 9 }, (_, index) => makeModel({ id: 100 + index, corpusId: 7, iterations: 1 }));
    const result = validateCompareForm({ ...DEFAULT_COMPARE_FORM, corpusId: 7, modelIds: many.map((model) => model.id) }, many);
    expect(result).toMatchObject({ ok: false, errors: { modelIds: 'Compare at most 8 models at once.' } });
  });
});
