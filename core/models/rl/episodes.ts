/**
 * The environment: a piece the policy appends notes to. An episode starts from `primerLength`
 * consecutive notes of a corpus piece (piece and place drawn at random; none: the zero state), then
 * the policy appends `episodeLength` notes, one at a time on the tensor-free steppers: the pitch
 * drawn from softmax(policy logits / temperature), step, duration and velocity as the policy's value
 * heads predict them (generate.ts's rules: step ≥ 0, the first of an episode without primer at 0;
 * duration ≥ 20 ms; velocity from its head, or the primer's last). The frozen start model is fed the
 * same notes alongside: its logits give log p₀(aₜ) and the exact KL(π‖p₀) of every step.
 */
import type { Random } from '../hmm/random';
import { DEFAULT_GENERATED_VELOCITY, MIN_GENERATED_DURATION } from '../neural-studio/generate';
import type { NoteStepSet } from '../neural/note-step-data';
import type { NoteStepper } from '../neural/note-step-lstm';
import { PITCH_CLASSES } from '../neural/note-windows';
import { sampleLogits } from '../neural/sampling';
import { RlError } from './errors';
import type { EpisodeBatch } from './policy';

export interface SampledEpisodes extends EpisodeBatch {
  /** log π(aₜ), log p₀(aₜ), H(π) and KL(π‖p₀) of each action, [L·B] at t·B + b. */
  readonly logPolicy: Float32Array;
  readonly logReference: Float32Array;
  readonly entropy: Float32Array;
  readonly kl: Float32Array;
}

export interface EpisodeOptions {
  readonly batchSize: number;
  readonly primerLength: number;
  readonly episodeLength: number;
  readonly temperature: number;
  /** The policy's config has a velocity head. */
  readonly hasVelocity: boolean;
}

/** The pieces that can give a primer of `primerLength` notes (every piece with a note when 0). */
export function primerPieces(corpus: NoteStepSet, primerLength: number): Int32Array {
  const pieces: number[] = [];
  let longest = 0;
  for (let p = 0; p + 1 < corpus.offsets.length; p++) {
    const count = corpus.offsets[p + 1]! - corpus.offsets[p]!;
    longest = Math.max(longest, count);
    if (count >= Math.max(1, primerLength)) pieces.push(p);
  }
  if (longest === 0) throw new RlError('The corpus has no notes: the RL tuner draws its primers and real windows from it.');
  if (pieces.length === 0) throw new RlError(`No piece of the corpus has ${primerLength} notes for a primer (the longest has ${longest}): use a primer of at most ${longest} notes.`);
  return Int32Array.from(pieces);
}

/** log softmax(logits / temperature) into out. */
function logSoftmax(logits: ArrayLike<number>, temperature: number, out: Float64Array): void {
  let max = -Infinity;
  for (let k = 0; k < out.length; k++) max = Math.max(max, logits[k]! / temperature);
  let total = 0;
  for (let k = 0; k < out.length; k++) total += Math.exp(logits[k]! / temperature - max);
  const log = max + Math.log(total);
  for (let k = 0; k < out.length; k++) out[k] = logits[k]! / temperature - log;
}

export function sampleEpisodes(policy: NoteStepper, reference: NoteStepper, corpus: NoteStepSet, pieces: Int32Array, options: EpisodeOptions, random: Random): SampledEpisodes {
  const { batchSize: B, primerLength: P, episodeLength: L, temperature } = options;
  const N = P + L;
  const batch = {
    batchSize: B,
    primerLength: P,
    episodeLength: L,
    pitch: new Int32Array(N * B),
    step: new Float32Array(N * B),
    duration: new Float32Array(N * B),
    velocity: new Float32Array(N * B),
    logPolicy: new Float32Array(L * B),
    logReference: new Float32Array(L * B),
    entropy: new Float32Array(L * B),
    kl: new Float32Array(L * B),
  };
  const logPi = new Float64Array(PITCH_CLASSES);
  const logP0 = new Float64Array(PITCH_CLASSES);
  const sampling = { temperature };
  for (let b = 0; b < B; b++) {
    policy.reset();
    reference.reset();
    const feed = (n: number): void => {
      const note = { pitch: batch.pitch[n * B + b]!, step: batch.step[n * B + b]!, duration: batch.duration[n * B + b]!, velocity: batch.velocity[n * B + b]! };
      policy.feed(note);
      reference.feed(note);
    };
    if (P > 0) {
      const piece = pieces[Math.floor(random() * pieces.length)]!;
      const from = corpus.offsets[piece]!;
      const start = from + Math.floor(random() * (corpus.offsets[piece + 1]! - from - P + 1));
      for (let n = 0; n < P; n++) {
        batch.pitch[n * B + b] = corpus.pitch[start + n]!;
        batch.step[n * B + b] = corpus.step[start + n]!;
        batch.duration[n * B + b] = corpus.duration[start + n]!;
        batch.velocity[n * B + b] = corpus.velocity[start + n]!;
        feed(n);
      }
    }
    let lastVelocity = P > 0 ? batch.velocity[(P - 1) * B + b]! : DEFAULT_GENERATED_VELOCITY / 127;
    for (let t = 0; t < L; t++) {
      const n = P + t;
      const prediction = policy.predict();
      logSoftmax(prediction.pitchLogits, temperature, logPi);
      logSoftmax(reference.predict().pitchLogits, temperature, logP0);
      const pitch = sampleLogits(prediction.pitchLogits, sampling, random);
      let entropy = 0;
      let kl = 0;
      for (let k = 0; k < PITCH_CLASSES; k++) {
        const p = Math.exp(logPi[k]!);
        if (p > 0) {
          entropy -= p * logPi[k]!;
          kl += p * (logPi[k]! - logP0[k]!);
        }
      }
      const at = t * B + b;
      batch.logPolicy[at] = logPi[pitch]!;
      batch.logReference[at] = logP0[pitch]!;
      batch.entropy[at] = entropy;
      batch.kl[at] = kl;
      const velocity = options.hasVelocity ? Math.min(127, Math.max(1, Math.round(prediction.velocity * 127))) / 127 : lastVelocity;
      lastVelocity = velocity;
      batch.pitch[n * B + b] = pitch;
      batch.step[n * B + b] = n === 0 ? 0 : Math.max(0, prediction.step);
      batch.duration[n * B + b] = Math.max(MIN_GENERATED_DURATION, prediction.duration);
      batch.velocity[n * B + b] = velocity;
      feed(n);
    }
  }
  return batch;
}

/** Notes 0..P+L−1 of episode b as plain pitch lists: the primer's and the appended ones. */
export function episodePitches(batch: EpisodeBatch, b: number): { primer: Int32Array; appended: Int32Array } {
  const B = batch.batchSize;
  const primer = Int32Array.from({ length: batch.primerLength }, (_, n) => batch.pitch[n * B + b]!);
  const appended = Int32Array.from({ length: batch.episodeLength }, (_, t) => batch.pitch[(batch.primerLength + t) * B + b]!);
  return { primer, appended };
}
