/**
 * The studio's LSTM next-note model: the seeds' model (TensorFlow's music_generation tutorial)
 * with what a composer's corpus needs on top. A window of notes, each its pitch (a learned
 * embedding, or pitch/128 as the seeds feed it), step and duration in seconds and velocity/127,
 * through stacked LSTM layers (dropout between them and before the heads, training only); the last
 * step's output feeds the heads: pitch (128 logits, sparse cross-entropy), step, duration and
 * velocity (one value each, MSE with positive pressure). Loss = Σ weight·loss; Adam.
 *
 * The embedding is a product with the pitch's one-hot row (ops.dense: one GEMM each way on the
 * native path, and differentiable on every backend). Generation runs the trained weights through
 * `noteStepper`: one note at a time, the LSTM state carried, no tensors.
 */
import { mulberry32, type Random } from '../hmm/random';
import { denseLayerWeights, lstmLayerWeights, normalArray, type WeightArray } from './init';
import { numericFeatures, type NoteStepBatch, type NoteStepLayout } from './note-step-data';
import { PITCH_CLASSES } from './note-windows';
import type { LstmWeights, NeuralOps, Optimizer, Scalar, Tensor, Tensor1D, Tensor2D, Tensor3D, Tf, Variable } from './ops';
import type { RawKernels } from './raw-kernels';
import { dropoutMask } from './random-streams';

export interface NoteStepLstmConfig {
  readonly windowLength: number;
  readonly units: readonly number[];
  /** Embedding size; 0: pitch/128 as one input number (the seeds' model). */
  readonly pitchEmbedding: number;
  /** Velocity as an input and a fourth head. */
  readonly velocity: boolean;
  readonly dropout: number;
  readonly lossWeights: { readonly pitch: number; readonly step: number; readonly duration: number; readonly velocity: number };
  readonly learningRate: number;
  /** Seeds the initial weights. */
  readonly seed: number;
}

/** The seeds' model in this class: 25 notes (pitch/128, step, duration) → LSTM(128) → three heads; Adam(0.005). */
export const SEEDS_NOTE_STEP_LSTM: NoteStepLstmConfig = {
  windowLength: 25,
  units: [128],
  pitchEmbedding: 0,
  velocity: false,
  dropout: 0,
  lossWeights: { pitch: 0.05, step: 1, duration: 1, velocity: 1 },
  learningRate: 0.005,
  seed: 1,
};

export class NoteStepLstmError extends Error {
  override readonly name = 'NoteStepLstmError';
}

export function validateNoteStepLstmConfig(config: NoteStepLstmConfig): void {
  const fail = (message: string): never => {
    throw new NoteStepLstmError(message);
  };
  if (!Number.isInteger(config.windowLength) || config.windowLength < 1) fail(`The window length must be a whole number ≥ 1, got ${config.windowLength}.`);
  if (config.units.length === 0) fail('Give at least one LSTM layer.');
  config.units.forEach((units, layer) => {
    if (!Number.isInteger(units) || units < 1) fail(`LSTM layer ${layer + 1} needs a whole number of units ≥ 1, got ${units}.`);
  });
  if (!Number.isInteger(config.pitchEmbedding) || config.pitchEmbedding < 0) fail(`The pitch embedding size must be a whole number ≥ 0, got ${config.pitchEmbedding}.`);
  if (!(config.dropout >= 0 && config.dropout < 1)) fail(`Dropout must be in [0, 1), got ${config.dropout}.`);
  if (!Number.isFinite(config.learningRate) || config.learningRate <= 0) fail(`The learning rate must be a positive number, got ${config.learningRate}.`);
  for (const [name, weight] of Object.entries(config.lossWeights)) {
    if (!Number.isFinite(weight) || weight < 0) fail(`The ${name} loss weight must be a number ≥ 0, got ${weight}.`);
  }
  if (!Number.isInteger(config.seed)) fail(`The seed must be an integer, got ${config.seed}.`);
}

export function noteStepLayout(config: Pick<NoteStepLstmConfig, 'pitchEmbedding' | 'velocity'>): NoteStepLayout {
  return { pitchEmbedding: config.pitchEmbedding > 0, velocity: config.velocity };
}

/** Inputs per note to the first LSTM layer. */
export function noteInputSize(config: Pick<NoteStepLstmConfig, 'pitchEmbedding' | 'velocity'>): number {
  return config.pitchEmbedding + numericFeatures(noteStepLayout(config));
}

type HeadName = 'pitch' | 'step' | 'duration' | 'velocity';

function heads(config: Pick<NoteStepLstmConfig, 'velocity'>): readonly (readonly [HeadName, number])[] {
  const list: [HeadName, number][] = [
    ['pitch', PITCH_CLASSES],
    ['step', 1],
    ['duration', 1],
  ];
  if (config.velocity) list.push(['velocity', 1]);
  return list;
}

/**
 * The initial weights, as Keras initialises these layers (LSTM kernel glorot-uniform, recurrent
 * orthogonal, bias 0 but the forget gate's 1; dense glorot-uniform, bias 0), in the order of the
 * seeds' model, so the seeds' configuration gives the seeds' arrays; the embedding (N(0, 0.05²))
 * comes from its own stream and last.
 */
export function initialNoteStepLstmWeights(config: NoteStepLstmConfig): WeightArray[] {
  validateNoteStepLstmConfig(config);
  const random = mulberry32(config.seed);
  const weights: WeightArray[] = [];
  let inputs = noteInputSize(config);
  config.units.forEach((H, layer) => {
    weights.push(...lstmLayerWeights(random, `lstm_${layer}`, inputs, H));
    inputs = H;
  });
  for (const [head, outputs] of heads(config)) {
    weights.push(...denseLayerWeights(random, head, inputs, outputs));
  }
  if (config.pitchEmbedding > 0) {
    const D = config.pitchEmbedding;
    weights.push({ name: 'pitch_embedding', shape: [PITCH_CLASSES, D], values: normalArray(mulberry32(config.seed ^ 0x5eed), PITCH_CLASSES * D, 0.05) });
  }
  return weights;
}

export interface NoteStepLosses {
  readonly total: number;
  readonly pitch: number;
  readonly step: number;
  readonly duration: number;
  readonly velocity: number;
}

let instances = 0;

export class NoteStepLstm {
  readonly config: NoteStepLstmConfig;
  /** Trainable variables in the order of initialNoteStepLstmWeights. */
  readonly variables: readonly Variable[];
  readonly names: readonly string[];
  readonly optimizer: Optimizer;
  private readonly layers: readonly LstmWeights[];
  private readonly headWeights: ReadonlyMap<HeadName, readonly [Tensor2D, Tensor1D]>;
  private readonly embedding: Tensor2D | null;

  constructor(
    private readonly tf: Tf,
    private readonly ops: NeuralOps,
    config: NoteStepLstmConfig,
  ) {
    validateNoteStepLstmConfig(config);
    this.config = config;
    const scope = `note_step_lstm_${++instances}`;
    const initial = initialNoteStepLstmWeights(config);
    this.names = initial.map((weight) => weight.name);
    this.variables = initial.map((weight) => tf.variable(tf.tensor(weight.values, [...weight.shape]), true, `${scope}/${weight.name}`));
    const byName = new Map(this.names.map((name, k) => [name, this.variables[k]!] as const));
    this.layers = config.units.map((_, layer) => ({
      kernel: byName.get(`lstm_${layer}/kernel`) as Tensor2D,
      recurrentKernel: byName.get(`lstm_${layer}/recurrent_kernel`) as Tensor2D,
      bias: byName.get(`lstm_${layer}/bias`) as Tensor1D,
    }));
    this.headWeights = new Map(heads(config).map(([head]) => [head, [byName.get(`${head}/kernel`) as Tensor2D, byName.get(`${head}/bias`) as Tensor1D] as const]));
    this.embedding = (byName.get('pitch_embedding') as Tensor2D | undefined) ?? null;
    this.optimizer = ops.adam(config.learningRate);
  }

  /** Time-major LSTM input [T, B, I]: the embedded pitches beside the numeric features. */
  private inputs(batch: NoteStepBatch): Tensor3D {
    const { tf } = this;
    const T = batch.windowLength;
    const B = batch.batchSize;
    const F = numericFeatures(batch.layout);
    const features = tf.tensor2d(batch.features, [T * B, F]);
    if (!this.embedding) return tf.reshape(features, [T, B, F]);
    const oneHot = new Float32Array(T * B * PITCH_CLASSES);
    for (let r = 0; r < T * B; r++) oneHot[r * PITCH_CLASSES + batch.pitches[r]!] = 1;
    const embedded = this.ops.dense(tf.tensor2d(oneHot, [T * B, PITCH_CLASSES]), this.embedding, null);
    return tf.reshape(tf.concat([embedded, features], 1), [T, B, noteInputSize(this.config)]);
  }

  private dropout(x: Tensor, random: Random | undefined): Tensor {
    if (!random || this.config.dropout === 0) return x;
    return this.tf.mul(x, this.tf.tensor(dropoutMask(random, x.size, this.config.dropout), x.shape));
  }

  /** The heads' outputs for a batch; `random` (training) draws the dropout masks. */
  private forward(batch: NoteStepBatch, random: Random | undefined): Map<HeadName, Tensor2D> {
    const layout = batch.layout;
    if (batch.windowLength !== this.config.windowLength) {
      throw new NoteStepLstmError(`The batch's windows have ${batch.windowLength} notes; this model takes ${this.config.windowLength}.`);
    }
    if (layout.pitchEmbedding !== this.config.pitchEmbedding > 0 || layout.velocity !== this.config.velocity) {
      throw new NoteStepLstmError('The batch was laid out for another model (pitch embedding or velocity differ).');
    }
    let sequence: Tensor = this.inputs(batch);
    const last = this.layers.length - 1;
    this.layers.forEach((weights, layer) => {
      const inputGradient = layer > 0 || this.embedding !== null;
      sequence = this.ops.lstm(sequence as Tensor3D, weights, { returnSequences: layer < last, inputGradient }).output;
      sequence = this.dropout(sequence, random);
    });
    const outputs = new Map<HeadName, Tensor2D>();
    for (const [head, [kernel, bias]] of this.headWeights) outputs.set(head, this.ops.dense(sequence as Tensor2D, kernel, bias));
    return outputs;
  }

  /** The weighted loss and its parts, as scalar tensors (differentiable). */
  lossTensors(batch: NoteStepBatch, random?: Random): { total: Tensor; parts: Map<HeadName, Tensor> } {
    const { tf } = this;
    const outputs = this.forward(batch, random);
    const parts = new Map<HeadName, Tensor>();
    parts.set('pitch', this.ops.sparseCrossEntropy(outputs.get('pitch')!, tf.tensor1d(batch.pitch, 'int32')));
    const values: [HeadName, Float32Array][] = [
      ['step', batch.step],
      ['duration', batch.duration],
    ];
    if (this.config.velocity) values.push(['velocity', batch.velocity]);
    for (const [head, target] of values) {
      parts.set(head, this.ops.mseWithPositivePressure(tf.reshape(outputs.get(head)!, [-1]) as Tensor1D, tf.tensor1d(target)));
    }
    const weights = this.config.lossWeights;
    const total = tf.addN([...parts].map(([head, loss]) => tf.mul(loss, weights[head])));
    return { total, parts };
  }

  /** One optimiser step on `batch`; returns the batch's total loss and pitch cross-entropy before the step. */
  trainStep(batch: NoteStepBatch, random?: Random): { loss: number; pitch: number } {
    const { tf } = this;
    let pitch: Tensor | null = null;
    const cost = tf.tidy(() => {
      const value = this.optimizer.minimize(
        () => {
          const losses = this.lossTensors(batch, random);
          pitch = tf.keep(losses.parts.get('pitch')!);
          return losses.total as Scalar;
        },
        true,
        [...this.variables],
      );
      if (!value) throw new Error('The optimiser returned no cost.');
      return value;
    });
    const loss = cost.dataSync()[0]!;
    const pitchLoss = (pitch as Tensor | null)?.dataSync()[0] ?? Number.NaN;
    tf.dispose([cost, ...(pitch ? [pitch] : [])]);
    return { loss, pitch: pitchLoss };
  }

  evaluate(batch: NoteStepBatch): NoteStepLosses {
    const { tf } = this;
    const stacked = tf.tidy(() => {
      const { total, parts } = this.lossTensors(batch);
      const zero = tf.scalar(0);
      return tf.stack([total, parts.get('pitch')!, parts.get('step')!, parts.get('duration')!, parts.get('velocity') ?? zero]);
    });
    const values = stacked.dataSync();
    stacked.dispose();
    return { total: values[0]!, pitch: values[1]!, step: values[2]!, duration: values[3]!, velocity: values[4]! };
  }

  /** The heads' outputs for a batch's windows (no dropout): pitch logits [B, 128] row-major, step, duration, velocity [B]. */
  predict(batch: NoteStepBatch): { pitchLogits: Float32Array; step: Float32Array; duration: Float32Array; velocity: Float32Array | null } {
    const { tf } = this;
    const outputs = tf.tidy(() => [...this.forward(batch, undefined).entries()]);
    const read = (head: HeadName): Float32Array | null => {
      const tensor = outputs.find(([name]) => name === head)?.[1];
      return tensor ? Float32Array.from(tensor.dataSync() as Float32Array) : null;
    };
    const prediction = { pitchLogits: read('pitch')!, step: read('step')!, duration: read('duration')!, velocity: read('velocity') };
    tf.dispose(outputs.map(([, tensor]) => tensor));
    return prediction;
  }

  /** The weights under stable names (those of initialNoteStepLstmWeights). */
  getWeights(): Record<string, Tensor> {
    return Object.fromEntries(this.names.map((name, k) => [name, this.variables[k]!]));
  }

  setWeights(weights: Readonly<Record<string, Tensor>>): void {
    this.names.forEach((name, k) => {
      const variable = this.variables[k]!;
      const value = weights[name];
      if (!value) throw new NoteStepLstmError(`The saved weights have no "${name}".`);
      if (value.shape.join() !== variable.shape.join()) {
        throw new NoteStepLstmError(`The saved "${name}" has shape [${value.shape.join(', ')}], the model [${variable.shape.join(', ')}].`);
      }
      variable.assign(value);
    });
  }

  /** Copies of the weights as plain arrays, for generation without tensors. */
  inferenceWeights(): NoteStepLstmWeights {
    const arrays = new Map(this.names.map((name, k) => [name, Float32Array.from(this.variables[k]!.dataSync() as Float32Array)] as const));
    return noteStepLstmWeightsFrom(this.config, (name) => arrays.get(name));
  }

  dispose(): void {
    this.optimizer.dispose();
    for (const variable of this.variables) variable.dispose();
  }
}

/** The trained weights as arrays, by layer and head. */
export interface NoteStepLstmWeights {
  readonly config: NoteStepLstmConfig;
  readonly embedding: Float32Array | null;
  readonly layers: readonly { readonly input: number; readonly hidden: number; readonly kernel: Float32Array; readonly recurrent: Float32Array; readonly bias: Float32Array }[];
  readonly heads: ReadonlyMap<HeadName, { readonly kernel: Float32Array; readonly bias: Float32Array }>;
}

export function noteStepLstmWeightsFrom(config: NoteStepLstmConfig, array: (name: string) => Float32Array | undefined): NoteStepLstmWeights {
  const need = (name: string, length: number): Float32Array => {
    const values = array(name);
    if (!values) throw new NoteStepLstmError(`The saved weights have no "${name}".`);
    if (values.length !== length) throw new NoteStepLstmError(`The saved "${name}" has ${values.length} values, the model ${length}.`);
    return values;
  };
  let input = noteInputSize(config);
  const layers = config.units.map((hidden, layer) => {
    const weights = {
      input,
      hidden,
      kernel: need(`lstm_${layer}/kernel`, input * 4 * hidden),
      recurrent: need(`lstm_${layer}/recurrent_kernel`, hidden * 4 * hidden),
      bias: need(`lstm_${layer}/bias`, 4 * hidden),
    };
    input = hidden;
    return weights;
  });
  const headMap = new Map(heads(config).map(([head, outputs]) => [head, { kernel: need(`${head}/kernel`, input * outputs), bias: need(`${head}/bias`, outputs) }] as const));
  const embedding = config.pitchEmbedding > 0 ? need('pitch_embedding', PITCH_CLASSES * config.pitchEmbedding) : null;
  return { config, embedding, layers, heads: headMap };
}

/** A note as the model reads and predicts it (velocity in 0..1). */
export interface StepNote {
  readonly pitch: number;
  readonly step: number;
  readonly duration: number;
  readonly velocity: number;
}

export interface NoteStepPrediction {
  /** 128 pitch logits (a view: valid until the next call). */
  readonly pitchLogits: Float32Array;
  readonly step: number;
  readonly duration: number;
  /** velocity/127 as predicted; 0 when the model has no velocity head. */
  readonly velocity: number;
}

export interface NoteStepper {
  /** Back to the zero state (a new sequence). */
  reset(): void;
  /** Advances the state by one note. */
  feed(note: StepNote): void;
  /** The prediction for the note after those fed since the last reset. */
  predict(): NoteStepPrediction;
}

/**
 * The LSTM one note at a time with its state carried (hT, cT of each layer), on tensor-free
 * kernels: one lstmStep per layer and note, one dense per head. Feeding a window's notes from the
 * zero state and predicting gives what the trained model gives for that window.
 */
export function noteStepper(weights: NoteStepLstmWeights, raw: RawKernels): NoteStepper {
  const { config } = weights;
  const D = config.pitchEmbedding;
  const input = new Float32Array(noteInputSize(config));
  const states = weights.layers.map((layer) => ({
    h: new Float32Array(layer.hidden),
    c: new Float32Array(layer.hidden),
    hNext: new Float32Array(layer.hidden),
    cNext: new Float32Array(layer.hidden),
  }));
  const lastHidden = weights.layers.at(-1)!.hidden;
  const outputs = new Map([...weights.heads].map(([head, values]) => [head, new Float32Array(values.bias.length)] as const));
  return {
    reset() {
      for (const state of states) {
        state.h.fill(0);
        state.c.fill(0);
      }
    },
    feed(note) {
      let at = 0;
      if (weights.embedding) {
        input.set(weights.embedding.subarray(note.pitch * D, (note.pitch + 1) * D), 0);
        at = D;
      } else {
        input[at++] = note.pitch / PITCH_CLASSES;
      }
      input[at++] = note.step;
      input[at++] = note.duration;
      if (config.velocity) input[at] = note.velocity;
      let x = input;
      weights.layers.forEach((layer, k) => {
        const state = states[k]!;
        raw.lstmStep({ batch: 1, input: layer.input, hidden: layer.hidden, x, h: state.h, c: state.c, w: layer.kernel, u: layer.recurrent, bias: layer.bias, hOut: state.hNext, cOut: state.cNext });
        [state.h, state.hNext] = [state.hNext, state.h];
        [state.c, state.cNext] = [state.cNext, state.c];
        x = state.h;
      });
    },
    predict() {
      const h = states.at(-1)!.h;
      for (const [head, values] of weights.heads) {
        raw.dense({ m: 1, n: values.bias.length, k: lastHidden, x: h, w: values.kernel, bias: values.bias, y: outputs.get(head)! });
      }
      return {
        pitchLogits: outputs.get('pitch')!,
        step: outputs.get('step')![0]!,
        duration: outputs.get('duration')![0]!,
        velocity: outputs.get('velocity')?.[0] ?? 0,
      };
    },
  };
}
