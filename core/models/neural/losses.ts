/**
 * The seeds' losses (TensorFlow's music_generation tutorial): pitch as a 128-way class (sparse
 * cross-entropy from logits), step and duration as values (mean squared error plus a penalty on
 * negative predictions, "positive pressure", since neither can be negative).
 */
import type { Tensor, Tensor1D, Tensor2D, Tf } from './ops';

/** mean over the batch of −log softmax(logits)[label]; logits [B, C], labels int32 [B]. */
export function sparseCrossEntropyFromLogits(tf: Tf, logits: Tensor2D, labels: Tensor1D): Tensor {
  return tf.tidy(() => {
    const classes = logits.shape[1];
    const picked = tf.sum(tf.mul(logits, tf.oneHot(labels, classes)), 1);
    return tf.mean(tf.sub(tf.logSumExp(logits, 1), picked));
  });
}

/** mean((target − prediction)² + 10·max(−prediction, 0)); prediction and target [B]. */
export function mseWithPositivePressure(tf: Tf, prediction: Tensor1D, target: Tensor1D): Tensor {
  return tf.tidy(() => {
    const squared = tf.square(tf.sub(target, prediction));
    const pressure = tf.mul(tf.relu(tf.neg(prediction)), 10);
    return tf.mean(tf.add(squared, pressure));
  });
}
