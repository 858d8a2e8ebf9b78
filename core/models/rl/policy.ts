/**
 * The policy: the studio's NoteStepLstm started from the start model's weights. Its action is the
 * next note's pitch, drawn from softmax(pitch logits / temperature); the note's step, duration and
 * velocity come from the model's value heads as in normal generation (sampleLstmNotes' rules).
 *
 * Only the pitch policy is tuned: the gradient reaches the LSTM layers, the pitch embedding and the
 * pitch head; the step, duration and velocity heads keep the start model's weights (they are not
 * in the optimiser). Their outputs can still drift a little, as the LSTM state they read is shared.
 * Dropout is off (REINFORCE needs the log-probabilities of the policy that sampled).
 *
 * Sampling runs on the tensor-free stepper (episodes.ts); the gradient step recomputes log π(aₜ) of
 * the sampled pitches over whole episodes at once: primer and episode notes through the stacked
 * LSTM from the zero state (what the stepper does, one note at a time), the hidden state before each
 * episode note through the pitch head.
 */
import type { NeuralOps, Scalar, Tensor, Tensor1D, Tensor2D, Tensor3D, Tf, Variable } from '../neural/ops';
import { NoteStepLstm, noteInputSize, type NoteStepLstmWeights } from '../neural/note-step-lstm';
import { numericFeatures } from '../neural/note-step-data';
import { PITCH_CLASSES } from '../neural/note-windows';
import type { NamedArray } from '../neural/weights-codec';
import { RlAdam } from './adam';
import { RlError } from './errors';
import type { RlStartModel } from './start-model';

/** Heads kept from the start model. */
const FROZEN_PREFIXES = ['step/', 'duration/', 'velocity/'];

/**
 * A batch of episodes, time-major: note n of episode b at n·B + b, the primer's P notes first, then
 * the L appended ones (the actions are the pitches at n ≥ P).
 */
export interface EpisodeBatch {
  readonly batchSize: number;
  readonly primerLength: number;
  readonly episodeLength: number;
  readonly pitch: Int32Array;
  readonly step: Float32Array;
  readonly duration: Float32Array;
  /** velocity / 127 */
  readonly velocity: Float32Array;
}

export interface PolicyStepResult {
  /** The surrogate loss −mean(A·log π(a)) before the step. */
  readonly loss: number;
  /** The gradient's global norm before clipping. */
  readonly gradientNorm: number;
}

export class RlPolicy {
  readonly model: NoteStepLstm;
  /** The tuned weights' names, in the optimiser's order. */
  readonly trainableNames: readonly string[];
  readonly optimizer: RlAdam;
  private readonly trainable: readonly Variable[];
  private readonly byName: ReadonlyMap<string, Tensor>;

  constructor(
    private readonly tf: Tf,
    private readonly ops: NeuralOps,
    start: RlStartModel,
    learningRate: number,
  ) {
    // Dropout off: the policy that samples is the policy whose log-probabilities are differentiated.
    // (In a scope, which releases the initial values NoteStepLstm makes its variables from.)
    let model: NoteStepLstm | undefined;
    tf.tidy(() => {
      model = new NoteStepLstm(tf, ops, { ...start.config, dropout: 0 });
    });
    this.model = model!;
    try {
      this.setWeights(start.weights);
    } catch (error) {
      this.model.dispose();
      throw error;
    }
    this.byName = new Map(Object.entries(this.model.getWeights()));
    this.trainableNames = this.model.names.filter((name) => !FROZEN_PREFIXES.some((prefix) => name.startsWith(prefix)));
    this.trainable = this.trainableNames.map((name) => this.byName.get(name) as Variable);
    this.optimizer = new RlAdam(tf, this.trainable, this.trainableNames, learningRate);
  }

  get config(): NoteStepLstm['config'] {
    return this.model.config;
  }

  /** The current weights as arrays by layer and head (for the stepper that samples). */
  inferenceWeights(): NoteStepLstmWeights {
    return this.model.inferenceWeights();
  }

  weights(): NamedArray[] {
    const all = this.model.getWeights();
    return this.model.names.map((name) => ({ name, shape: [...all[name]!.shape], values: Float32Array.from(all[name]!.dataSync() as Float32Array) }));
  }

  setWeights(arrays: readonly NamedArray[]): void {
    const { tf } = this;
    const tensors = Object.fromEntries(arrays.map((array) => [array.name, tf.tensor(array.values, [...array.shape])] as const));
    try {
      this.model.setWeights(tensors);
    } catch (error) {
      throw new RlError(`The policy's weights do not fit its LSTM: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      tf.dispose(Object.values(tensors));
    }
  }

  private get<T extends Tensor>(name: string): T {
    const tensor = this.byName.get(name);
    if (!tensor) throw new RlError(`The policy has no weight "${name}".`);
    return tensor as T;
  }

  /** The LSTM's input for notes 0..T−1 of every episode, [T, B, I]. */
  private inputs(batch: EpisodeBatch, T: number): Tensor3D {
    const { tf, ops } = this;
    const { config } = this.model;
    const B = batch.batchSize;
    const layout = { pitchEmbedding: config.pitchEmbedding > 0, velocity: config.velocity };
    const F = numericFeatures(layout);
    const features = new Float32Array(T * B * F);
    for (let r = 0; r < T * B; r++) {
      let at = r * F;
      if (!layout.pitchEmbedding) features[at++] = batch.pitch[r]! / PITCH_CLASSES;
      features[at++] = batch.step[r]!;
      features[at++] = batch.duration[r]!;
      if (layout.velocity) features[at] = batch.velocity[r]!;
    }
    const numeric = tf.tensor2d(features, [T * B, F]);
    if (!layout.pitchEmbedding) return tf.reshape(numeric, [T, B, F]);
    const oneHot = new Float32Array(T * B * PITCH_CLASSES);
    for (let r = 0; r < T * B; r++) oneHot[r * PITCH_CLASSES + batch.pitch[r]!] = 1;
    const embedded = ops.dense(tf.tensor2d(oneHot, [T * B, PITCH_CLASSES]), this.get<Tensor2D>('pitch_embedding'), null);
    return tf.reshape(tf.concat([embedded, numeric], 1), [T, B, noteInputSize(config)]);
  }

  /**
   * log π(aₜ) of every episode's appended pitches, [L·B] at t·B + b (differentiable w.r.t. the
   * tuned weights): softmax of the pitch logits / temperature, as the episodes were sampled.
   */
  logProbabilities(batch: EpisodeBatch, temperature: number): Tensor1D {
    const { tf, ops } = this;
    const { config } = this.model;
    const B = batch.batchSize;
    const P = batch.primerLength;
    const L = batch.episodeLength;
    if (batch.pitch.length !== (P + L) * B) throw new RlError(`An episode batch of ${B} × (${P} + ${L}) notes has ${batch.pitch.length} pitches.`);
    // Note n is predicted from the state after notes 0..n−1: the LSTM reads notes 0..P+L−2.
    const T = P + L - 1;
    const lastUnits = config.units.at(-1)!;
    const zero = tf.zeros([1, B, lastUnits]);
    let states: Tensor3D;
    if (T === 0) {
      states = zero as Tensor3D;
    } else {
      let sequence: Tensor3D = this.inputs(batch, T);
      config.units.forEach((_, layer) => {
        const weights = {
          kernel: this.get<Tensor2D>(`lstm_${layer}/kernel`),
          recurrentKernel: this.get<Tensor2D>(`lstm_${layer}/recurrent_kernel`),
          bias: this.get<Tensor1D>(`lstm_${layer}/bias`),
        };
        sequence = ops.lstm(sequence, weights, { returnSequences: true, inputGradient: layer > 0 || config.pitchEmbedding > 0 }).output as Tensor3D;
      });
      // The state before note 0 is zero; before note n ≥ 1 it is the output after note n − 1.
      states = tf.concat([zero, sequence], 0) as Tensor3D;
    }
    const before = tf.reshape(tf.slice(states, [P, 0, 0], [L, B, lastUnits]), [L * B, lastUnits]) as Tensor2D;
    const logits = ops.dense(before, this.get<Tensor2D>('pitch/kernel'), this.get<Tensor1D>('pitch/bias'));
    const logProbabilities = tf.logSoftmax(tf.div(logits, temperature));
    const actions = new Int32Array(L * B);
    for (let k = 0; k < L * B; k++) actions[k] = batch.pitch[P * B + k]!;
    const chosen = tf.oneHot(tf.tensor1d(actions, 'int32'), PITCH_CLASSES);
    return tf.sum(tf.mul(logProbabilities, chosen), 1) as Tensor1D;
  }

  /**
   * One REINFORCE step: minimise −mean(Aₜ·log π(aₜ)) over the batch's L·B actions (advantages at
   * t·B + b), the gradient scaled to a global norm of at most `clipNorm` (0: not clipped), Adam.
   */
  step(batch: EpisodeBatch, advantages: Float32Array, temperature: number, clipNorm: number): PolicyStepResult {
    const { tf } = this;
    const count = batch.episodeLength * batch.batchSize;
    if (advantages.length !== count) throw new RlError(`${advantages.length} advantages for ${count} actions.`);
    return this.optimizer.minimize(() => tf.neg(tf.mean(tf.mul(tf.tensor1d(advantages), this.logProbabilities(batch, temperature)))) as Scalar, clipNorm);
  }

  dispose(): void {
    this.optimizer.dispose();
    this.model.dispose();
  }
}
