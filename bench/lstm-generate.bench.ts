/**
 * The studio's LSTM beyond its training step (bench/lstm.bench.ts has that):
 *
 * - lstm-generate-512: milliseconds to generate 512 notes with the seeds' LSTM (25 notes → LSTM(128)
 *   → pitch/step/duration heads) after a 25-note primer, the way the generate job does it
 *   (core/models/neural-studio/generate.ts): one note at a time with the LSTM's state carried, on
 *   the engine's tensor-free kernels (native when built), pitch sampled at temperature 1. The model
 *   is trained briefly first (speed does not depend on the weights). Best of 5 rounds. ref: none
 *   (target ≤ 50 ms); the note gives the JavaScript kernels' time (the fallback without the addon).
 * - lstm-jsb-valid: the seeds' LSTM trained for JSB_EPOCHS epochs on the shared JSB chorales' train
 *   split (the studio's trainer, native engine), its loss on the valid split beside the unigram
 *   baseline's (pitch from the train split's frequencies, step and duration as its means) on the
 *   same windows. ref = the baseline: ratio < 1 means better than unigram. Skipped without the corpus.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { LstmSettingsSchema, type LstmSettings } from '../core/ipc/schemas';
import { parseMidi } from '../core/midi/parse-midi';
import { mulberry32 } from '../core/models/hmm/random';
import { createLstmTask, lstmConfig, neuralSequencesFor, runNeuralTraining, sampleLstmNotes, unigramNoteLoss } from '../core/models/neural-studio';
import { noteStepSet, type NoteStepSet } from '../core/models/neural/note-step-data';
import { NoteStepLstm, noteStepLayout, noteStepper } from '../core/models/neural/note-step-lstm';
import { allocateNoteStepBatch, fillNoteStepBatch, windowStarts } from '../core/models/neural/note-step-data';
import { createJavascriptRawKernels } from '../core/models/neural/raw-kernels';
import type { NoteStepRow } from '../core/music/representations';
import type { Piece } from '../core/music/types';
import { createEngine } from '../electron/workers/neural/engine';
import type { Bench } from './run';

const NOTES = 512;
const ROUNDS = 5;
const JSB_EPOCHS = 3;
const JSB_ROOT = path.resolve(__dirname, '../../shared/corpora/jsb_chorales/midi_16th_satb');

/** The seeds' model as the studio's settings: pitch/128 (no embedding), no velocity, the tutorial's loss weights and Adam(0.005). */
const SEEDS_SETTINGS: LstmSettings = LstmSettingsSchema.parse({
  windowLength: 25,
  units: [128],
  pitchEmbedding: 0,
  velocity: false,
  lossWeights: { pitch: 0.05, step: 1, duration: 1, velocity: 0 },
  learningRate: 0.005,
  schedule: 'constant',
  batchSize: 64,
  dropout: 0,
  patience: 0,
  maxIterations: JSB_EPOCHS,
  seed: 1,
});

/** Seeded random melodies (pitch, step, duration, velocity). */
function melodies(seed: number, pieces: number, length: number): NoteStepRow[][] {
  const random = mulberry32(seed);
  return Array.from({ length: pieces }, () => {
    let pitch = 60;
    return Array.from({ length }, () => {
      pitch = Math.min(96, Math.max(36, pitch + Math.round((random() - 0.5) * 8)));
      return { pitch, step: Math.round(random() * 4) / 8, duration: 0.125 + Math.round(random() * 6) / 8, velocity: 80 };
    });
  });
}

function bestOf(rounds: number, run: () => void): { best: number; all: number[] } {
  const all: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const began = performance.now();
    run();
    all.push(performance.now() - began);
  }
  return { best: Math.min(...all), all };
}

function readSplit(split: string): Piece[] {
  const folder = path.join(JSB_ROOT, split);
  return fs
    .readdirSync(folder)
    .filter((file) => file.endsWith('.mid'))
    .sort()
    .map((file) => parseMidi(new Uint8Array(fs.readFileSync(path.join(folder, file))), file));
}

export const benches: Bench[] = [
  {
    name: 'lstm-generate-512',
    async run() {
      const engine = await createEngine({ prefer: 'native' });
      const config = lstmConfig(SEEDS_SETTINGS);
      const model = new NoteStepLstm(engine.tf, engine.ops, config);
      // Brief training on random melodies: 100 steps of 64 windows.
      const set = noteStepSet(melodies(7, 8, 200));
      const starts = windowStarts(set, config.windowLength);
      const batch = allocateNoteStepBatch(64, config.windowLength, noteStepLayout(config));
      const random = mulberry32(3);
      for (let step = 0; step < 100; step++) {
        fillNoteStepBatch(set, starts, Array.from({ length: 64 }, () => Math.floor(random() * starts.length)), batch);
        model.trainStep(batch);
      }
      const weights = model.inferenceWeights();
      model.dispose();
      const primer = { rows: melodies(11, 1, config.windowLength)[0]!, keep: true };
      const request = { temperature: 1, length: { unit: 'steps' as const, value: NOTES }, seed: 5 };
      const generate = (kernels: Parameters<typeof noteStepper>[1]) => {
        const stepper = noteStepper(weights, kernels);
        let made = 0;
        const timing = bestOf(ROUNDS, () => {
          made = sampleLstmNotes(stepper, primer, request, 120, { hasVelocity: false }).length;
        });
        if (made !== NOTES) throw new Error(`generated ${made} notes, not ${NOTES}`);
        return timing;
      };
      const ours = generate(engine.ops.raw);
      const javascript = generate(createJavascriptRawKernels());
      return {
        ours: ours.best,
        ref: null,
        unit: 'ms',
        note:
          `${NOTES} notes after a ${config.windowLength}-note primer, seeds' LSTM(128), one note at a time (state carried), ${engine.ops.raw.name} kernels; ` +
          `${engine.reason}; best of ${ROUNDS} (${ours.all.map((ms) => ms.toFixed(1)).join(', ')} ms); target ≤ 50 ms\n` +
          `JavaScript kernels (the fallback without the addon): ${javascript.best.toFixed(1)} ms`,
      };
    },
  },
  {
    name: 'lstm-jsb-valid',
    async run() {
      if (!fs.existsSync(path.join(JSB_ROOT, 'train'))) return { skipped: `the shared JSB chorales are not at ${JSB_ROOT}` };
      const train = neuralSequencesFor(readSplit('train'), SEEDS_SETTINGS);
      const valid = neuralSequencesFor(readSplit('valid'), SEEDS_SETTINGS);
      if (train.kind !== 'note-steps' || valid.kind !== 'note-steps') throw new Error('expected note-step sequences');
      const engine = await createEngine({ prefer: 'native' });
      const task = createLstmTask(engine.tf, engine.ops, SEEDS_SETTINGS, train.data, valid.data);
      const began = performance.now();
      const result = await runNeuralTraining(engine.tf, task, SEEDS_SETTINGS, { resume: null, shouldStop: () => false });
      const seconds = (performance.now() - began) / 1000;
      task.dispose();
      const last = result.history.at(-1)!;
      const baseline = unigramNoteLoss(train.data as NoteStepSet, valid.data as NoteStepSet, SEEDS_SETTINGS.windowLength, SEEDS_SETTINGS.lossWeights);
      const pitchNll = -last.validLogLikelihoodPerToken!;
      return {
        ours: last.validLoss!,
        ref: baseline.total,
        unit: 'loss',
        note:
          `seeds' LSTM (25 notes → LSTM(128), pitch weight 0.05, Adam 0.005, batch 64), ${JSB_EPOCHS} epochs on JSB train ` +
          `(${train.data.pitch.length} notes, ${train.pieces} chorales) in ${seconds.toFixed(1)} s, ${engine.path} engine; validation loss by epoch ` +
          `${result.history.map((point) => point.validLoss!.toFixed(4)).join(', ')}\n` +
          `valid (${valid.pieces} chorales): pitch NLL ${pitchNll.toFixed(3)} nats/note vs unigram ${baseline.pitch.toFixed(3)}; ` +
          `step MSE vs unigram ${baseline.step.toFixed(4)}, duration vs ${baseline.duration.toFixed(4)}; ratio < 1: better than unigram`,
      };
    },
  },
];
