/**
 * The seeds' two losses as single ops with their own gradients (tf.customGrad), computed in plain
 * JavaScript loops over the tensors' arrays. Same values as core/models/neural/losses.ts (which
 * composes tfjs ops; the tests compare them). Why: the cpu backend's generic element-wise kernels
 * cost ~20 ns per element plus ~10 µs per op, so the dozen ops of a softmax cross-entropy over a
 * 64×128 batch and their gradients took several milliseconds of a ~10 ms training step; these loops
 * take tens of microseconds. The labels and targets are data, closed over rather than op inputs.
 */
import type { Tensor, Tensor1D, Tensor2D, Tf } from '../../../core/models/neural/ops';

function values(tensor: Tensor, what: string): Float32Array {
  if (tensor.dtype !== 'float32') throw new TypeError(`${what} must be float32, got ${tensor.dtype}.`);
  return tensor.dataSync() as Float32Array;
}

/** mean over the batch of −log softmax(logits)[label]; logits [B, C], labels int32 [B]. */
export function fusedSparseCrossEntropy(tf: Tf, logits: Tensor2D, labels: Tensor1D): Tensor {
  if (logits.rank !== 2 || labels.rank !== 1 || labels.shape[0] !== logits.shape[0]) {
    throw new RangeError(`sparseCrossEntropy: logits [${logits.shape.join(', ')}] and labels [${labels.shape.join(', ')}] do not match.`);
  }
  if (labels.dtype !== 'int32') throw new TypeError(`sparseCrossEntropy: labels must be int32, got ${labels.dtype}.`);
  const [B, C] = logits.shape;
  const classes = labels.dataSync() as Int32Array;
  for (let b = 0; b < B; b++) {
    const label = classes[b]!;
    if (!(label >= 0 && label < C)) throw new RangeError(`sparseCrossEntropy: label ${label} (row ${b}) is outside 0..${C - 1}.`);
  }
  const op = tf.customGrad((...args) => {
    const x = values(args[0] as Tensor, 'sparseCrossEntropy logits');
    const probabilities = new Float32Array(B * C);
    let total = 0;
    for (let b = 0; b < B; b++) {
      const row = b * C;
      let max = -Infinity;
      for (let j = 0; j < C; j++) max = Math.max(max, x[row + j]!);
      let sum = 0;
      for (let j = 0; j < C; j++) {
        const e = Math.exp(x[row + j]! - max);
        probabilities[row + j] = e;
        sum += e;
      }
      for (let j = 0; j < C; j++) probabilities[row + j] = probabilities[row + j]! / sum;
      total += Math.log(sum) + max - x[row + classes[b]!]!;
    }
    const gradFunc = (dy: Tensor): Tensor[] => {
      // d/dlogits = (softmax − one-hot) / B, times the incoming scalar gradient.
      const scale = dy.dataSync()[0]! / B;
      const grad = new Float32Array(B * C);
      for (let b = 0; b < B; b++) {
        const row = b * C;
        for (let j = 0; j < C; j++) grad[row + j] = probabilities[row + j]! * scale;
        grad[row + classes[b]!] = grad[row + classes[b]!]! - scale;
      }
      return [tf.tensor2d(grad, [B, C])];
    };
    return { value: tf.scalar(total / B), gradFunc };
  });
  return op(logits);
}

/** mean((target − prediction)² + 10·max(−prediction, 0)); prediction and target [B]. */
export function fusedMseWithPositivePressure(tf: Tf, prediction: Tensor1D, target: Tensor1D): Tensor {
  if (prediction.rank !== 1 || target.rank !== 1 || prediction.shape[0] !== target.shape[0]) {
    throw new RangeError(`mseWithPositivePressure: prediction [${prediction.shape.join(', ')}] and target [${target.shape.join(', ')}] do not match.`);
  }
  const B = prediction.shape[0];
  const t = values(target, 'mseWithPositivePressure target');
  const op = tf.customGrad((...args) => {
    const p = values(args[0] as Tensor, 'mseWithPositivePressure prediction');
    let total = 0;
    for (let b = 0; b < B; b++) {
      const error = t[b]! - p[b]!;
      total += error * error + 10 * Math.max(-p[b]!, 0);
    }
    const gradFunc = (dy: Tensor): Tensor[] => {
      const scale = dy.dataSync()[0]! / B;
      // d/dp = 2(p − t) − 10·[p < 0] (max's gradient at 0 is 0, as tfjs's relu).
      const grad = Float32Array.from({ length: B }, (_, b) => (2 * (p[b]! - t[b]!) - (p[b]! < 0 ? 10 : 0)) * scale);
      return [tf.tensor1d(grad)];
    };
    return { value: tf.scalar(total / B), gradFunc };
  });
  return op(prediction);
}
