// The fallback LSTM (plain tfjs ops, hand-written sequence-level backward pass) against tfjs's own
// autodiff through the same layer and against finite differences, and the seeds' losses against
// hand-computed values. cpu backend: exact JavaScript arithmetic, no addon needed.
import { beforeAll, describe, expect, it } from 'vitest';
import { mseWithPositivePressure, sparseCrossEntropyFromLogits } from '../../../core/models/neural/losses';
import { lstmAutodiff, lstmSequence, NeuralOpsError, type LstmOptions, type Tensor, type Tensor1D, type Tensor2D, type Tensor3D, type Tf } from '../../../core/models/neural/ops';
import { createEngine } from '../../../electron/workers/neural/engine';
import { checkFiniteDifferences, expectClose, randomArray } from './helpers';

let tf: Tf;
beforeAll(async () => {
  const engine = await createEngine({ prefer: 'cpu' });
  expect(engine.path).toBe('cpu');
  tf = engine.tf;
});

type LstmFunction = typeof lstmSequence;

interface Case {
  readonly T: number;
  readonly B: number;
  readonly I: number;
  readonly H: number;
  readonly returnSequences: boolean;
  readonly initialState: boolean;
}

/** x, h0, c0, W, U, b for a case, seeded. */
function caseInputs(c: Case): Tensor[] {
  return [
    tf.tensor3d(randomArray(1, c.T * c.B * c.I), [c.T, c.B, c.I]),
    tf.tensor2d(randomArray(2, c.B * c.H, 0.5), [c.B, c.H]),
    tf.tensor2d(randomArray(3, c.B * c.H, 0.5), [c.B, c.H]),
    tf.tensor2d(randomArray(4, c.I * 4 * c.H, 0.6), [c.I, 4 * c.H]),
    tf.tensor2d(randomArray(5, c.H * 4 * c.H, 0.6), [c.H, 4 * c.H]),
    tf.tensor1d(randomArray(6, 4 * c.H, 0.3)),
  ];
}

/** A scalar depending on every output: Σ output ⊙ R + Σ hT ⊙ R' (R fixed random weights). */
function lossOf(lstm: LstmFunction, c: Case, withFinalState: boolean): (inputs: Tensor[]) => Tensor {
  const outputSize = (c.returnSequences ? c.T : 1) * c.B * c.H;
  const r = randomArray(7, outputSize);
  const rFinal = randomArray(8, 2 * c.B * c.H);
  return ([x, h0, c0, w, u, b]) =>
    tf.tidy(() => {
      const options: LstmOptions = { returnSequences: c.returnSequences, ...(c.initialState ? { initialState: { h: h0 as Tensor2D, c: c0 as Tensor2D } } : {}) };
      const result = lstm(tf, x as Tensor3D, { kernel: w as Tensor2D, recurrentKernel: u as Tensor2D, bias: b as Tensor1D }, options);
      const main = tf.sum(tf.mul(tf.reshape(result.output, [-1]), tf.tensor1d(r)));
      if (!withFinalState) return main;
      return tf.add(main, tf.sum(tf.mul(tf.concat([tf.reshape(result.hT, [-1]), tf.reshape(result.cT, [-1])]), tf.tensor1d(rFinal))));
    });
}

/** The inputs a case differentiates: the initial state only when it is passed in. */
function used(c: Case): number[] {
  return c.initialState ? [0, 1, 2, 3, 4, 5] : [0, 3, 4, 5];
}

/** The loss and its gradients; grads[k] is w.r.t. inputs[k] (empty for inputs not used). */
function gradients(lstm: LstmFunction, c: Case, inputs: Tensor[]): { value: number; grads: Float32Array[] } {
  const loss = lossOf(lstm, c, false);
  const which = used(c);
  const { value, grads } = tf.tidy(() => {
    const g = tf.valueAndGrads((...args: Tensor[]) => {
      const all = [...inputs];
      which.forEach((k, j) => (all[k] = args[j]!));
      return loss(all) as ReturnType<typeof tf.scalar>;
    });
    const result = g(which.map((k) => inputs[k]!));
    return { value: result.value, grads: result.grads };
  });
  const out: Float32Array[] = inputs.map(() => new Float32Array(0));
  which.forEach((k, j) => (out[k] = Float32Array.from(grads[j]!.dataSync())));
  const scalar = value.dataSync()[0]!;
  tf.dispose([value, ...grads]);
  return { value: scalar, grads: out };
}

const NAMES = ['x', 'h0', 'c0', 'kernel', 'recurrentKernel', 'bias'];
const CASES: Case[] = [
  { T: 4, B: 3, I: 2, H: 5, returnSequences: false, initialState: false },
  { T: 3, B: 2, I: 3, H: 4, returnSequences: true, initialState: true },
  { T: 1, B: 1, I: 1, H: 3, returnSequences: true, initialState: true },
];

describe('lstmSequence (tfjs ops, sequence-level backward)', () => {
  for (const c of CASES) {
    const label = `T=${c.T} B=${c.B} I=${c.I} H=${c.H}${c.returnSequences ? ' sequences' : ''}${c.initialState ? ' initial state' : ''}`;

    it(`gives autodiff's outputs and gradients (${label})`, () => {
      const inputs = caseInputs(c);
      const ours = gradients(lstmSequence, c, inputs);
      const reference = gradients(lstmAutodiff, c, inputs);
      expect(Math.abs(ours.value - reference.value)).toBeLessThan(1e-5 * Math.max(1, Math.abs(reference.value)));
      for (const k of used(c)) expectClose(ours.grads[k]!, reference.grads[k]!, 1e-5, `${label} d${NAMES[k]}`);
      tf.dispose(inputs);
    });

    it(`matches finite differences (${label})`, () => {
      const inputs = caseInputs(c);
      const loss = lossOf(lstmSequence, c, false);
      const { grads } = gradients(lstmSequence, c, inputs);
      for (const k of used(c)) checkFiniteDifferences(tf, loss, inputs, grads[k]!, k, `${label} d${NAMES[k]}`);
      tf.dispose(inputs);
    });
  }

  it('returns the final state like autodiff', () => {
    const c = CASES[1]!;
    const inputs = caseInputs(c);
    const read = (lstm: LstmFunction): Float32Array[] =>
      tf.tidy(() => {
        const [x, h0, c0, w, u, b] = inputs;
        const r = lstm(tf, x as Tensor3D, { kernel: w as Tensor2D, recurrentKernel: u as Tensor2D, bias: b as Tensor1D }, { returnSequences: true, initialState: { h: h0 as Tensor2D, c: c0 as Tensor2D } });
        return [r.output, r.hT, r.cT].map((t) => Float32Array.from(t.dataSync()));
      });
    const ours = read(lstmSequence);
    const reference = read(lstmAutodiff);
    ours.forEach((values, k) => expectClose(values, reference[k]!, 1e-6, ['output', 'hT', 'cT'][k]!));
    // hT is the last step of the output sequence.
    expect(Array.from(ours[1]!)).toEqual(Array.from(ours[0]!.subarray((c.T - 1) * c.B * c.H)));
    tf.dispose(inputs);
  });

  it('does not leak tensors', () => {
    const c = CASES[0]!;
    const inputs = caseInputs(c);
    gradients(lstmSequence, c, inputs);
    const before = tf.memory().numTensors;
    for (let k = 0; k < 3; k++) gradients(lstmSequence, c, inputs);
    tf.tidy(() => {
      lossOf(lstmSequence, c, true)(inputs);
    });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(inputs);
  });

  it('rejects mismatched shapes with a clear error', () => {
    const x = tf.zeros([2, 3, 4]) as Tensor3D;
    const weights = { kernel: tf.zeros([5, 8]) as Tensor2D, recurrentKernel: tf.zeros([2, 8]) as Tensor2D, bias: tf.zeros([8]) as Tensor1D };
    expect(() => lstmSequence(tf, x, weights, { returnSequences: false })).toThrow(NeuralOpsError);
    expect(() => lstmSequence(tf, x, weights, { returnSequences: false })).toThrow(/kernel must be \[4, 8\]/);
    expect(() => lstmSequence(tf, tf.zeros([3, 4]) as unknown as Tensor3D, weights, { returnSequences: false })).toThrow(/\[steps, batch, features\]/);
  });
});

describe("the seeds' losses", () => {
  it('sparse cross-entropy from logits is −log softmax at the label, averaged', () => {
    const logits = [
      [1, 2, 3],
      [0, 0, 5],
    ];
    const labels = [2, 0];
    const expected =
      logits.reduce((sum, row, b) => sum + Math.log(row.reduce((s, v) => s + Math.exp(v), 0)) - row[labels[b]!]!, 0) / logits.length;
    const value = tf.tidy(() => sparseCrossEntropyFromLogits(tf, tf.tensor2d(logits), tf.tensor1d(labels, 'int32')).dataSync()[0]!);
    expect(value).toBeCloseTo(expected, 5);
  });

  it('MSE with positive pressure adds 10·max(−prediction, 0)', () => {
    const prediction = [0.5, -0.2, 1];
    const target = [1, 0.3, 1];
    const expected = prediction.reduce((sum, p, b) => sum + (target[b]! - p) ** 2 + 10 * Math.max(-p, 0), 0) / 3;
    const value = tf.tidy(() => mseWithPositivePressure(tf, tf.tensor1d(prediction), tf.tensor1d(target)).dataSync()[0]!);
    expect(value).toBeCloseTo(expected, 6);
    expect(expected).toBeCloseTo((0.25 + 0.25 + 0 + 2) / 3, 10);
  });
});
