// The comparison's work without a worker: order of what it sends, seeds, likelihoods, progress, cancel.
import { describe, expect, it } from 'vitest';
import { runComparison, type CompareData, type CompareHmmInput, type CompareInput } from '../../../core/comparisons';
import { HmmSettingsSchema, type HmmSettings } from '../../../core/ipc/schemas';
import { compareSets, musPyMetrics } from '../../../core/metrics';
import { generatePiece, heldOutPerToken, loadSavedHmm, sequencesFor, trainStepwise } from '../../../core/models/hmm-studio';
import { describePieces } from '../../../core/music/stats';
import type { Piece } from '../../../core/music/types';
import { makePiece } from '../music/support';

/** A line of quarter notes at 480 ppq. */
function line(name: string, pitches: readonly number[]): Piece {
  return makePiece({ name, tracks: [{ notes: pitches.map((pitch, index) => ({ ticks: index * 480, durationTicks: 480, pitch })) }] });
}

const train = [line('t1', [60, 62, 64, 65, 67, 65, 64, 62]), line('t2', [67, 69, 71, 72, 71, 69, 67, 65]), line('t3', [60, 64, 67, 72, 67, 64, 60, 55])];
const reference = [line('r1', [60, 62, 64, 62, 60, 62, 64, 65]), line('r2', [72, 71, 69, 67, 65, 64, 62, 60]), line('r3', [55, 60, 64, 67, 64, 60, 55, 60])];

function trained(settings: HmmSettings): unknown {
  return trainStepwise(sequencesFor(train, settings), settings).state;
}

const pitch = HmmSettingsSchema.parse({ representation: 'pitch', states: 3, maxIterations: 4, seed: 2 });
const note = HmmSettingsSchema.parse({ representation: 'note', states: 2, maxIterations: 3, seed: 3, init: 'random' });

function inputOf(samplesPerModel: number): Omit<CompareInput, 'models'> & { readonly models: readonly CompareHmmInput[] } {
  return {
    samplesPerModel,
    length: { unit: 'bars', value: 2 },
    seed: 40,
    reference,
    tempoBpm: 100,
    models: [
      { modelId: 1, name: 'Pitch', settings: pitch, state: trained(pitch), sequences: sequencesFor(reference, pitch) },
      { modelId: 2, name: 'Note', settings: note, state: trained(note), sequences: sequencesFor(reference, note) },
    ],
  };
}

describe('runComparison', () => {
  it('sends the reference’s metrics, then per model its samples and its figures, and reports progress up to 1', () => {
    const input = inputOf(2);
    const sent: CompareData[] = [];
    const progress: number[] = [];
    const result = runComparison(input, { progress: (fraction) => progress.push(fraction), emit: (data) => sent.push(data), throwIfCancelled: () => undefined });
    expect(result).toEqual({ models: 2, samples: 4 });
    expect(sent.map((data) => (data.type === 'reference' ? 'reference' : `${data.type}:${data.modelId}`))).toEqual([
      'reference',
      'sample:1',
      'sample:1',
      'model:1',
      'sample:2',
      'sample:2',
      'model:2',
    ]);
    expect(sent[0]).toEqual({ type: 'reference', musPy: musPyMetrics(reference), statistics: describePieces(reference) });

    for (const model of input.models) {
      const loaded = loadSavedHmm(model.state, model.settings);
      const samples = sent.filter((data): data is Extract<CompareData, { type: 'sample' }> => data.type === 'sample' && data.modelId === model.modelId);
      // Sample k: seed + k, the length policy of models.generate, the corpus's tempo.
      expect(samples.map((sample) => [sample.index, sample.seed])).toEqual([
        [0, 40],
        [1, 41],
      ]);
      samples.forEach((sample) => {
        expect(sample.piece).toEqual(generatePiece(loaded, model.settings, { length: input.length, seed: sample.seed }, { name: `Sample ${sample.index + 1}`, tempo: 100 }));
        expect(sample.piece.tempos).toEqual([{ ticks: 0, bpm: 100 }]);
      });
      const pieces = samples.map((sample) => sample.piece);
      const figures = sent.find((data) => data.type === 'model' && data.modelId === model.modelId);
      expect(figures).toEqual({
        type: 'model',
        modelId: model.modelId,
        logLikelihoodPerToken: heldOutPerToken(loaded, model.sequences),
        musPy: musPyMetrics(pieces),
        relative: compareSets(reference, pieces),
        statistics: describePieces(pieces),
      });
    }
    // Pitch at 4 steps a quarter: two bars of 4/4 are 32 steps, at most 8 quarter notes' worth of ticks.
    const pitchSample = sent.find((data) => data.type === 'sample' && data.modelId === 1) as Extract<CompareData, { type: 'sample' }>;
    expect(pitchSample.piece.durationTicks).toBeLessThanOrEqual(8 * pitchSample.piece.ppq);

    for (let i = 1; i < progress.length; i++) expect(progress[i]!).toBeGreaterThanOrEqual(progress[i - 1]!);
    expect(progress.at(-1)).toBe(1);
    expect(progress.every((fraction) => fraction >= 0 && fraction <= 1)).toBe(true);
  });

  it('stops where the cancel check throws, also inside the measuring, and sends nothing after', () => {
    for (const allowed of [1, 3, 6]) {
      const sent: CompareData[] = [];
      let checks = 0;
      const stop = new Error('cancelled');
      expect(() =>
        runComparison(inputOf(3), {
          progress: () => undefined,
          emit: (data) => sent.push(data),
          throwIfCancelled: () => {
            if (++checks > allowed) throw stop;
          },
        }),
      ).toThrow(stop);
      expect(checks).toBe(allowed + 1);
      expect(sent.some((data) => data.type === 'model')).toBe(false);
    }
    // Checks: 1 before the reference, 1 before the first likelihood, 1 before each of the 3 samples, 1 before
    // the measuring, then one per step of it: the 8th is inside compareSets, after every sample was sent.
    const sent: CompareData[] = [];
    let checks = 0;
    expect(() =>
      runComparison(inputOf(3), {
        progress: () => undefined,
        emit: (data) => sent.push(data),
        throwIfCancelled: () => {
          if (++checks > 7) throw new Error('stop');
        },
      }),
    ).toThrow('stop');
    expect(sent.map((data) => data.type)).toEqual(['reference', 'sample', 'sample', 'sample']);
  });
});
