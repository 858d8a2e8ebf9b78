// RL tuning through the worker's glue on the real engine (native kernels when built): checkpoints
// stream with the iterations' records, a run cancelled between iterations and resumed from its last
// (JSON round-tripped) checkpoint ends with exactly the uninterrupted run's weights and history, and
// the tuned model generates through the LSTM's own generation job. With the JSB chorales, the
// discriminator separates real chorale melodies from random notes.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LstmSettingsSchema } from '../../core/ipc/schemas';
import type { GeneratedPartData } from '../../core/models/neural-studio/jobs';
import { encodeNoteSteps } from '../../core/music/representations';
import { parseMidi } from '../../core/midi/parse-midi';
import { mulberry32 } from '../../core/models/hmm/random';
import { noteStepSet } from '../../core/models/neural/note-step-data';
import { decodeArrays } from '../../core/models/neural/weights-codec';
import { Discriminator } from '../../core/models/rl/discriminator';
import type { RlCheckpointData, RlGenerateInput, RlTrainInput } from '../../core/models/rl/jobs';
import type { RlCheckpoint } from '../../core/models/rl/train';
import { CorpusWindows, ROLL_PITCHES, rollOf, copyWindow } from '../../core/models/rl/windows';
import { createEngine } from '../../electron/workers/neural/engine';
import { loadNeuralAddon } from '../../electron/workers/neural/native-addon';
import { runRlGeneration } from '../../electron/workers/rl/generate-rl';
import { runRlTraining } from '../../electron/workers/rl/train-rl';
import type { JobContext } from '../../electron/workers/runtime';
import { hasJsb, JSB_MISSING, jsbMidiRoot } from '../support/paths';
import { cMajorMelody, corpusOf, savedLstm, TINY_LSTM, TINY_RL } from '../unit/rl/helpers';

const nativeBuilt = loadNeuralAddon().addon !== null;
if (!nativeBuilt) console.warn('native kernels unavailable: the RL tests run on the fallback engine');

const LSTM_SETTINGS = LstmSettingsSchema.parse({ windowLength: TINY_LSTM.windowLength, units: TINY_LSTM.units, pitchEmbedding: 0, velocity: false });

function input(resume: RlCheckpoint | null): RlTrainInput {
  return {
    family: 'rl',
    startModel: savedLstm(),
    startSettings: LSTM_SETTINGS,
    corpus: corpusOf(Array.from({ length: 6 }, (_, k) => cMajorMelody(k + 1, 30))),
    settings: { ...TINY_RL, iterations: 5 },
    resume,
  };
}

function context(cancelAfter = Infinity): { context: JobContext; emitted: RlCheckpointData[] } {
  const emitted: RlCheckpointData[] = [];
  let iterations = 0;
  return {
    emitted,
    context: {
      jobId: 1,
      input: undefined,
      progress: (_fraction, message) => {
        if (message.startsWith('Iteration')) iterations++;
      },
      emit: (data) => emitted.push(data as RlCheckpointData),
      isCancelled: () => iterations >= cancelAfter,
      throwIfCancelled: () => undefined,
    },
  };
}

const weightsOf = (checkpoint: RlCheckpoint) => [checkpoint.policy, checkpoint.discriminator].flatMap((part) => [...decodeArrays(part.weights), ...decodeArrays(part.optimizer)].map((array) => Array.from(array.values)));
const withoutTimes = (checkpoint: RlCheckpoint) => checkpoint.history.map(({ seconds: _seconds, ...record }) => record);

describe('RL tuning in the worker', () => {
  it('streams checkpoints with records; cancel + resume = the uninterrupted run', async () => {
    const straight = context();
    const whole = await runRlTraining(input(null), straight.context);
    expect(whole.stopReason).toBe('max-iterations');
    expect(whole.engine).toBe(nativeBuilt ? 'native' : 'wasm');
    expect(straight.emitted.flatMap((data) => data.points).map((record) => record.iteration)).toEqual([1, 2, 3, 4, 5]);
    const last = straight.emitted.at(-1)!.checkpoint;

    const first = context(2);
    const stopped = await runRlTraining(input(null), first.context);
    expect(stopped.stopReason).toBe('stopped');
    const checkpoint = JSON.parse(JSON.stringify(first.emitted.at(-1)!.checkpoint)) as RlCheckpoint;
    expect(checkpoint.iteration).toBe(2);
    const second = context();
    const resumed = await runRlTraining(input(checkpoint), second.context);
    expect(resumed.iterations).toBe(5);
    const end = second.emitted.at(-1)!.checkpoint;
    expect(weightsOf(end)).toEqual(weightsOf(last));
    expect(withoutTimes(end)).toEqual(withoutTimes(last));

    // The tuned model generates through the LSTM's generation (streamed parts, a finished variation).
    const parts: GeneratedPartData[] = [];
    const generateInput: RlGenerateInput = { family: 'rl', state: JSON.parse(JSON.stringify(whole.model)), tempoBpm: 100, ppq: 480, primer: { kind: 'clip-notes', rows: [{ pitch: 60, step: 0, duration: 0.5, velocity: 90 }] } };
    const result = await runRlGeneration(
      { modelId: 1, count: 2, length: { unit: 'steps', value: 16 }, temperature: 1, seed: 4 },
      { ...context().context, input: generateInput, emit: (data) => parts.push(data as GeneratedPartData) },
    );
    expect(result).toEqual({ generated: 2 });
    const finals = parts.filter((part) => part.final);
    expect(finals.map((part) => part.index)).toEqual([0, 1]);
  });

  it('refuses a start model that is not an LSTM, before any work', async () => {
    await expect(runRlTraining({ ...input(null), startModel: { ...savedLstm(), family: 'transformer' } }, context().context)).rejects.toThrow(/starts from a trained LSTM/);
  });

  it.skipIf(!hasJsb)(`separates JSB chorale melodies from random notes (${hasJsb ? 'JSB present' : JSB_MISSING})`, async () => {
    const engine = await createEngine({ prefer: 'native', threads: 1 });
    const melodies = (split: string, limit: number) =>
      fs
        .readdirSync(path.join(jsbMidiRoot, split))
        .filter((name) => name.endsWith('.mid'))
        .sort()
        .slice(0, limit)
        .map((name) => {
          const piece = parseMidi(new Uint8Array(fs.readFileSync(path.join(jsbMidiRoot, split, name))), name);
          // The soprano: the first track's notes.
          return encodeNoteSteps({ ...piece, tracks: piece.tracks.slice(0, 1) });
        });
    const config = { ...TINY_RL.discriminator, windowLength: 16, filters: 16, hidden: 16, learningRate: 0.005 };
    const train = new CorpusWindows(noteStepSet(melodies('train', 40)), config);
    const valid = new CorpusWindows(noteStepSet(melodies('valid', 20)), config);
    const randomWindows = (seed: number, count: number): Uint8Array => {
      const random = mulberry32(seed);
      const out = new Uint8Array(count * 16 * ROLL_PITCHES);
      for (let slot = 0; slot < count; slot++) {
        const pitches = Array.from({ length: 16 }, () => 60 + Math.floor(random() * 22));
        copyWindow(rollOf({ count: 16, pitch: (k) => pitches[k]!, step: () => 0.25, duration: () => 0.25 }, config), 16, 16, out, slot);
      }
      return out;
    };
    const discriminator = new Discriminator(engine.tf, engine.ops, config);
    try {
      const random = mulberry32(1);
      for (let step = 0; step < 60; step++) discriminator.trainStep(train.sample(random, 32), 32, randomWindows(step + 10, 32), 32);
      const accuracy = discriminator.accuracy(valid.sample(mulberry32(2), 200), 200, randomWindows(999, 200), 200);
      expect(accuracy.real).toBeGreaterThanOrEqual(0.9);
      expect(accuracy.fake).toBeGreaterThanOrEqual(0.9);
    } finally {
      discriminator.dispose();
    }
  });
});
