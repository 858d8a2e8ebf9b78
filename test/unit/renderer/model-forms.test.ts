import { describe, expect, it } from 'vitest';
import { isModelAtLeastAsNew, mergeModels, removeModel, upsertModel } from '../../../renderer/src/state/models';
import { DEFAULT_GENERATE_FORM, lengthHint, stepUnitName, validateGenerateForm } from '../../../renderer/src/views/models/generate-form';
import {
  defaultTrainForm,
  initsFor,
  parseTolerance,
  usesResolution,
  validateTrainForm,
  withRepresentation,
  type TrainForm,
} from '../../../renderer/src/views/models/train-form';
import { makeModel } from './fake-studio';

function errorsOf(form: TrainForm) {
  const result = validateTrainForm(form);
  if (result.ok) throw new Error('expected errors');
  return result.errors;
}

describe('train form', () => {
  it('turns the defaults into the request main expects', () => {
    const result = validateTrainForm(defaultTrainForm(7));
    expect(result).toEqual({
      ok: true,
      input: {
        corpusId: 7,
        family: 'hmm',
        settings: { representation: 'pitch', states: 16, maxIterations: 100, tolerance: 1e-4, init: 'kmeans', seed: 1, resolution: 4 },
      },
    });
  });

  it('names the field and the limit for every bad value', () => {
    const form = { ...defaultTrainForm(null), states: '0', maxIterations: '2.5', tolerance: '0', seed: '-1', resolution: '', name: 'x'.repeat(201) };
    expect(errorsOf(form)).toEqual({
      corpusId: 'Choose the corpus to train on.',
      name: 'A name is at most 200 characters.',
      states: 'The number of states is a whole number from 1 to 512.',
      maxIterations: 'The maximum number of iterations is a whole number from 1 to 10,000.',
      tolerance: 'The tolerance must be above 0 (training would never stop early).',
      seed: 'A seed is a whole number from 0 to 2,147,483,647.',
      resolution: 'Enter the steps per quarter note.',
    });
    expect(errorsOf({ ...defaultTrainForm(1), states: 'NaN' }).states).toMatch(/whole number from 1 to 512/);
    expect(errorsOf({ ...defaultTrainForm(1), states: '513' }).states).toMatch(/1 to 512/);
    expect(errorsOf({ ...defaultTrainForm(1), resolution: '49' }).resolution).toMatch(/1 to 48/);
  });

  it('reads tolerances as typed', () => {
    expect(parseTolerance('1e-4')).toEqual({ value: 1e-4 });
    expect(parseTolerance(' .001 ')).toEqual({ value: 0.001 });
    expect(parseTolerance('abc')).toEqual({ error: 'The tolerance is a number such as 1e-4 or 0.001.' });
    expect(parseTolerance('0.6')).toEqual({ error: 'The tolerance is at most 0.5.' });
    expect(parseTolerance('')).toEqual({ error: 'Enter a tolerance, e.g. 1e-4.' });
  });

  it('offers no unigram start and no resolution for the note representation', () => {
    expect(initsFor('pitch').map((option) => option.value)).toEqual(['kmeans', 'random', 'unigram']);
    expect(initsFor('note').map((option) => option.value)).toEqual(['kmeans', 'random']);
    expect(initsFor('event').some((option) => (option.value as string) === 'uniform')).toBe(false);
    expect(usesResolution('note')).toBe(false);
    const unigram = { ...defaultTrainForm(1), init: 'unigram' as const };
    expect(withRepresentation(unigram, 'note').init).toBe('kmeans');
    expect(withRepresentation(unigram, 'event').init).toBe('unigram');
    // A note form with unigram typed in by force is refused with the schema's reason.
    expect(errorsOf({ ...unigram, representation: 'note' }).init).toMatch(/not unigram/);
    // The resolution field is ignored (not validated) for note models.
    const note = validateTrainForm({ ...withRepresentation(defaultTrainForm(1), 'note'), resolution: 'garbage', name: '  Notes  ' });
    expect(note.ok && note.input).toMatchObject({ name: 'Notes', settings: { representation: 'note', resolution: 4 } });
  });
});

describe('generate form', () => {
  it('builds the request with one temperature or three, and the seed only when given', () => {
    expect(validateGenerateForm({ ...DEFAULT_GENERATE_FORM, count: '2', lengthValue: '4' }, 3)).toEqual({
      ok: true,
      input: { modelId: 3, count: 2, length: { unit: 'bars', value: 4 }, temperature: 1 },
    });
    const advanced = validateGenerateForm({ ...DEFAULT_GENERATE_FORM, advanced: true, initial: 0, transition: 1.5, emission: 0.5, seed: '42', lengthUnit: 'steps' }, 3);
    expect(advanced).toEqual({
      ok: true,
      input: { modelId: 3, count: 4, length: { unit: 'steps', value: 8 }, temperature: { initial: 0, transition: 1.5, emission: 0.5 }, seed: 42 },
    });
  });

  it('refuses counts, lengths and seeds out of range', () => {
    const result = validateGenerateForm({ ...DEFAULT_GENERATE_FORM, count: '17', lengthValue: '0', seed: 'abc' }, 3);
    expect(result).toEqual({
      ok: false,
      errors: {
        count: 'The number of clips is a whole number from 1 to 16.',
        lengthValue: 'The length in bars is a whole number from 1 to 10,000.',
        seed: 'A seed is a whole number from 0 to 2,147,483,647.',
      },
    });
    expect(validateGenerateForm({ ...DEFAULT_GENERATE_FORM, temperature: -1 }, 3).ok).toBe(false);
  });

  it('explains what a step is for each representation', () => {
    expect(stepUnitName('pitch')).toBe('grid steps');
    expect(stepUnitName('event')).toBe('events');
    expect(stepUnitName('note')).toBe('notes');
    expect(lengthHint('pitch', 'bars', 4)).toBe('Bars of 4/4 (16 steps each).');
    expect(lengthHint('pitch', 'steps', 4)).toBe('Grid steps of 1/16 note.');
  });
});

describe('model list merging', () => {
  const a1 = makeModel({ id: 1, updatedAt: '2025-01-01T10:00:01.000Z' });
  const a2 = { ...a1, iterations: 2, updatedAt: '2025-01-01T10:00:02.000Z' };
  const b = makeModel({ id: 2, updatedAt: '2025-01-01T10:00:01.500Z' });

  it('keeps the newest state of each model, newest model first', () => {
    expect(isModelAtLeastAsNew(a2, a1)).toBe(true);
    expect(isModelAtLeastAsNew(a1, a2)).toBe(false);
    // Same stamp: the longer history is the later one.
    const longer = { ...a1, history: [{ iteration: 1, logLikelihoodPerToken: -2 }] };
    expect(isModelAtLeastAsNew(longer, a1)).toBe(true);
    expect(isModelAtLeastAsNew(a1, longer)).toBe(false);
    let list = upsertModel([], a1);
    list = upsertModel(list, b);
    expect(list.map((model) => model.id)).toEqual([2, 1]);
    list = upsertModel(list, a2);
    expect(upsertModel(list, a1)).toBe(list);
    expect(list.find((model) => model.id === 1)?.iterations).toBe(2);
    expect(removeModel(list, 9)).toBe(list);
    expect(removeModel(list, 2).map((model) => model.id)).toEqual([1]);
  });

  it('merges a list reply: older listed states lose, deleted stay out, announced-meanwhile stay in', () => {
    const known = [b, a2];
    expect(mergeModels(known, [a1]).map((model) => [model.id, model.iterations])).toEqual([[1, 2]]);
    expect(mergeModels(known, [a1], { keep: new Set([2]) }).map((model) => model.id)).toEqual([2, 1]);
    expect(mergeModels([], [a1, b], { deleted: new Set([2]) }).map((model) => model.id)).toEqual([1]);
  });
});
