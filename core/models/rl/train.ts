/**
 * RL tuning of a studio LSTM against a learned discriminator (Magenta's RL Tuner, with SeqGAN's
 * discriminator reward), as a run a worker can drive. Each iteration:
 *   1. sample a batch of episodes from the policy (primers from the corpus), the frozen start model
 *      alongside for log p₀ and the KL;
 *   2. (first iteration only) warm the discriminator up against these start-model samples;
 *   3. score the episodes' windows with the discriminator, measure its accuracy on fresh corpus
 *      windows and on these policy windows;
 *   4. rewards (rewards.ts), returns, baseline, one REINFORCE step (Adam, gradient clipping);
 *   5. k discriminator steps: corpus windows (real) against this batch's policy windows (fake).
 * Randomness is a stream per (seed, purpose, iteration), so the checkpoint (weights and Adam state
 * of both networks, the baseline, the history) is all a resume needs to continue exactly: a run
 * stopped between two iterations and resumed computes what the uninterrupted run computes.
 */
import type { NoteStepSet } from '../neural/note-step-data';
import { noteStepper } from '../neural/note-step-lstm';
import type { NeuralOps, Tf } from '../neural/ops';
import { stream } from '../neural/random-streams';
import { decodeArrays, encodeArrays, type EncodedArrays } from '../neural/weights-codec';
import { Discriminator } from './discriminator';
import { primerPieces, sampleEpisodes, type SampledEpisodes } from './episodes';
import { RlError } from './errors';
import { estimateKey, pitchClassHistogram } from './music-theory';
import { RlPolicy } from './policy';
import { advantages, batchRewards, discountedReturns } from './rewards';
import { savedRlModel, type RlIterationRecord, type SavedRlModel } from './saved-model';
import { validateRlSettings, type RlSettings } from './settings';
import { startInferenceWeights, type RlStartModel } from './start-model';
import { copyWindow, CorpusWindows, episodeWindowEnds, rollOf, ROLL_PITCHES } from './windows';

/** Purposes of the random streams (apart from the LSTM trainer's). */
export const RL_STREAM = { episodes: 101, warmup: 102, accuracy: 103, discriminator: 104 } as const;

export type RlStopReason = 'max-iterations' | 'time-limit' | 'stopped';

export interface RlCheckpoint {
  readonly format: 'rl-checkpoint';
  readonly version: 1;
  readonly settings: RlSettings;
  /** The start model's fingerprint: the run resumes only from the same start model. */
  readonly startFingerprint: string;
  /** Iterations completed. */
  readonly iteration: number;
  readonly policy: { readonly weights: EncodedArrays; readonly optimizer: EncodedArrays };
  readonly discriminator: { readonly weights: EncodedArrays; readonly optimizer: EncodedArrays };
  /** The moving-average baseline per step position (null with 'batch-mean' or before the first batch). */
  readonly baseline: readonly number[] | null;
  readonly history: readonly RlIterationRecord[];
  readonly seconds: number;
}

export interface RlTrainCallbacks {
  /** Polled before each iteration: true stops the run (the result's checkpoint resumes it exactly). */
  shouldStop?(): boolean;
  /** After each iteration; `checkpoint()` builds the full checkpoint (costly: call it when you store one). */
  onIteration?(record: RlIterationRecord, checkpoint: () => Promise<RlCheckpoint>): void | Promise<void>;
  /** Milliseconds, for the time budget and the records; default Date.now. */
  now?(): number;
}

export interface RlTrainResult {
  readonly stopReason: RlStopReason;
  readonly iterations: number;
  readonly history: readonly RlIterationRecord[];
  /** The tuned model as stored (a studio LSTM state + the discriminator), also when stopped. */
  readonly model: SavedRlModel;
  /** Where the run is now: resume from it or keep it. */
  readonly checkpoint: RlCheckpoint;
  readonly seconds: number;
}

export interface RlEngine {
  readonly tf: Tf;
  readonly ops: NeuralOps;
}

function checkCorpus(corpus: NoteStepSet): void {
  if (!corpus || !(corpus.pitch instanceof Int32Array) || !(corpus.offsets instanceof Int32Array) || corpus.offsets.length < 1) {
    throw new RlError('The RL tuner needs the corpus as note steps (pitch, step, duration, velocity, offsets).');
  }
  if (corpus.pitch.length === 0) throw new RlError('The corpus has no notes: the RL tuner draws its primers and real windows from it.');
}

/** Every episode's discriminator windows, and which episode each belongs to. */
function policyWindows(episodes: SampledEpisodes, settings: RlSettings): { windows: Uint8Array; owner: Int32Array } {
  const { batchSize: B, primerLength: P } = episodes;
  const N = P + episodes.episodeLength;
  const W = settings.discriminator.windowLength;
  const perEpisode: { roll: ReturnType<typeof rollOf>; ends: number[] }[] = [];
  for (let b = 0; b < B; b++) {
    const at = (n: number): number => n * B + b;
    const roll = rollOf(
      { count: N, pitch: (n) => episodes.pitch[at(n)]!, step: (n) => episodes.step[at(n)]!, duration: (n) => episodes.duration[at(n)]! },
      settings.discriminator,
    );
    perEpisode.push({ roll, ends: episodeWindowEnds(roll, roll.noteRow[P]!, W) });
  }
  const count = perEpisode.reduce((sum, entry) => sum + entry.ends.length, 0);
  const windows = new Uint8Array(count * W * ROLL_PITCHES);
  const owner = new Int32Array(count);
  let slot = 0;
  perEpisode.forEach(({ roll, ends }, b) => {
    for (const end of ends) {
      copyWindow(roll, end, W, windows, slot);
      owner[slot++] = b;
    }
  });
  return { windows, owner };
}

/** `count` of the given windows drawn with replacement. */
function drawWindows(windows: Uint8Array, available: number, count: number, windowLength: number, random: () => number): Uint8Array {
  const size = windowLength * ROLL_PITCHES;
  const out = new Uint8Array(count * size);
  for (let k = 0; k < count; k++) {
    const from = Math.floor(random() * available);
    out.set(windows.subarray(from * size, (from + 1) * size), k * size);
  }
  return out;
}

/**
 * Tunes the start model's pitch policy (a fresh run, or the run `resume` saved: its settings then
 * come from the checkpoint, but for `iterations` and `maxSeconds`, so a resume can extend it). `corpus`: the train split's note steps (neuralSequencesFor's data for an LSTM).
 */
export async function trainRl(engine: RlEngine, start: RlStartModel, corpus: NoteStepSet, settings: RlSettings, callbacks: RlTrainCallbacks = {}, resume?: RlCheckpoint): Promise<RlTrainResult> {
  const { tf, ops } = engine;
  const now = callbacks.now ?? (() => Date.now());
  if (resume) {
    if (resume.format !== 'rl-checkpoint' || resume.version !== 1) throw new RlError('Not an RL training checkpoint (format "rl-checkpoint", version 1).');
    if (resume.startFingerprint !== start.fingerprint) throw new RlError('The checkpoint was made from another start model: resume it with the LSTM it started from.');
    // The run's own settings, but for how long it may go on (a resume can extend it).
    settings = { ...resume.settings, iterations: settings.iterations, maxSeconds: settings.maxSeconds };
  }
  validateRlSettings(settings);
  checkCorpus(corpus);
  const pieces = primerPieces(corpus, settings.primerLength);
  const corpusWindows = new CorpusWindows(corpus, settings.discriminator);
  const corpusKey = estimateKey(pitchClassHistogram(corpus.pitch));
  const useDiscriminator = settings.rewards.discriminator > 0 || settings.discriminatorSteps > 0 || settings.discriminatorWarmup > 0;
  const W = settings.discriminator.windowLength;

  const policy = new RlPolicy(tf, ops, start, settings.learningRate);
  let discriminator: Discriminator | null = null;
  try {
    discriminator = new Discriminator(tf, ops, settings.discriminator);
    let iteration = 0;
    let baseline: number[] | null = null;
    const history: RlIterationRecord[] = [];
    let secondsBefore = 0;
    if (resume) {
      policy.setWeights(decodeArrays(resume.policy.weights));
      policy.optimizer.setState(decodeArrays(resume.policy.optimizer), 'policy');
      discriminator.setWeights(decodeArrays(resume.discriminator.weights));
      discriminator.optimizer.setState(decodeArrays(resume.discriminator.optimizer), 'discriminator');
      iteration = resume.iteration;
      baseline = resume.baseline ? [...resume.baseline] : null;
      history.push(...resume.history);
      secondsBefore = resume.seconds;
    }
    const d = discriminator;
    const reference = noteStepper(startInferenceWeights(start), ops.raw);
    const startedAt = now();
    const elapsed = (): number => secondsBefore + (now() - startedAt) / 1000;
    const snapshot = (): Promise<RlCheckpoint> => Promise.resolve({
      format: 'rl-checkpoint',
      version: 1,
      settings,
      startFingerprint: start.fingerprint,
      iteration,
      policy: { weights: encodeArrays(policy.weights()), optimizer: encodeArrays(policy.optimizer.state()) },
      discriminator: { weights: encodeArrays(d.weights()), optimizer: encodeArrays(d.optimizer.state()) },
      baseline: baseline ? [...baseline] : null,
      history: [...history],
      seconds: elapsed(),
    } satisfies RlCheckpoint);

    let stopReason: RlStopReason | null = null;
    while (stopReason === null) {
      if (iteration >= settings.iterations) {
        stopReason = 'max-iterations';
        break;
      }
      if (callbacks.shouldStop?.()) {
        stopReason = 'stopped';
        break;
      }
      const episodes = sampleEpisodes(
        noteStepper(policy.inferenceWeights(), ops.raw),
        reference,
        corpus,
        pieces,
        { ...settings, hasVelocity: policy.config.velocity },
        stream(settings.seed, RL_STREAM.episodes, iteration),
      );
      let logReal: Float32Array | null = null;
      let logDReal: number | null = null;
      let accuracy: RlIterationRecord['discriminatorAccuracy'] = null;
      let fakes: { windows: Uint8Array; owner: Int32Array } | null = null;
      const dBatch = settings.discriminatorBatch;
      const discriminatorStep = (purpose: number, step: number): number => {
        const random = stream(settings.seed, purpose, iteration, step);
        const real = corpusWindows.sample(random, dBatch);
        const fake = drawWindows(fakes!.windows, fakes!.owner.length, dBatch, W, random);
        return d.trainStep(real, dBatch, fake, dBatch);
      };
      if (useDiscriminator) {
        fakes = policyWindows(episodes, settings);
        if (iteration === 0) for (let step = 0; step < settings.discriminatorWarmup; step++) discriminatorStep(RL_STREAM.warmup, step);
        const windowLogReal = d.logReal(fakes.windows, fakes.owner.length);
        const sums = new Float64Array(episodes.batchSize);
        const counts = new Float64Array(episodes.batchSize);
        fakes.owner.forEach((b, k) => {
          sums[b] = sums[b]! + windowLogReal[k]!;
          counts[b] = counts[b]! + 1;
        });
        logReal = Float32Array.from(sums, (sum, b) => sum / counts[b]!);
        logDReal = windowLogReal.reduce((sum, value) => sum + value, 0) / windowLogReal.length;
        const freshReal = corpusWindows.sample(stream(settings.seed, RL_STREAM.accuracy, iteration), fakes.owner.length);
        accuracy = d.accuracy(freshReal, fakes.owner.length, fakes.windows, fakes.owner.length);
      }

      const scored = batchRewards(episodes, settings.rewards, settings.key, corpusKey, logReal);
      const returns = discountedReturns(scored.rewards, episodes.batchSize, episodes.episodeLength, settings.discount);
      const advantage = advantages(returns, episodes.batchSize, episodes.episodeLength, { kind: settings.baseline, decay: settings.baselineDecay, previous: baseline });
      baseline = advantage.baseline;
      const step = policy.step(episodes, advantage.advantages, settings.temperature, settings.clipNorm);

      let discriminatorLoss: number | null = null;
      if (useDiscriminator && settings.discriminatorSteps > 0) {
        let total = 0;
        for (let k = 0; k < settings.discriminatorSteps; k++) total += discriminatorStep(RL_STREAM.discriminator, k);
        discriminatorLoss = total / settings.discriminatorSteps;
      }

      const actions = episodes.episodeLength * episodes.batchSize;
      const mean = (values: Float32Array): number => values.reduce((sum, value) => sum + value, 0) / values.length;
      const classes = new Array<number>(12).fill(0);
      for (let k = episodes.primerLength * episodes.batchSize; k < episodes.pitch.length; k++) classes[episodes.pitch[k]! % 12]! += 1 / actions;
      iteration++;
      const record: RlIterationRecord = {
        iteration,
        reward: scored.meanReward,
        terms: scored.terms,
        logDReal,
        discriminatorAccuracy: accuracy,
        discriminatorLoss,
        kl: mean(episodes.kl),
        entropy: mean(episodes.entropy),
        inKeyShare: scored.inKeyShare,
        pitchClassShare: classes,
        gradientNorm: step.gradientNorm,
        seconds: elapsed(),
      };
      history.push(record);
      await callbacks.onIteration?.(record, snapshot);
      if (settings.maxSeconds > 0 && elapsed() >= settings.maxSeconds) stopReason = 'time-limit';
    }

    const checkpoint = await snapshot();
    return {
      stopReason,
      iterations: iteration,
      history,
      model: savedRlModel(start, policy.weights(), d.weights(), settings, history),
      checkpoint,
      seconds: elapsed(),
    };
  } finally {
    policy.dispose();
    discriminator?.dispose();
  }
}
