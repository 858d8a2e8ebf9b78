/** One optimiser step from gradients already computed, clipped to a global norm (as Keras's clipnorm over all variables). */
import type { Optimizer, Scalar, Tensor, Tf } from './ops';

/**
 * Applies `grads` (scaled down to a global norm of `clipNorm` when larger; Infinity: no clipping) and
 * disposes of them and `value`; returns the loss `value` held and the norm before clipping. A
 * non-finite norm applies nothing and throws `diverged()`.
 */
export function applyClippedGradients(tf: Tf, optimizer: Optimizer, value: Scalar, grads: Record<string, Tensor>, clipNorm: number, diverged: () => Error): { loss: number; gradientNorm: number } {
  let squares = 0;
  for (const name of Object.keys(grads)) {
    const values = grads[name]!.dataSync() as Float32Array;
    for (let k = 0; k < values.length; k++) squares += values[k]! * values[k]!;
  }
  const gradientNorm = Math.sqrt(squares);
  if (!Number.isFinite(gradientNorm)) {
    tf.dispose([value, ...Object.values(grads)]);
    throw diverged();
  }
  if (gradientNorm > clipNorm) {
    const factor = clipNorm / gradientNorm;
    for (const name of Object.keys(grads)) {
      const scaled = tf.mul(grads[name]!, factor);
      grads[name]!.dispose();
      grads[name] = scaled;
    }
  }
  optimizer.applyGradients(grads);
  const loss = value.dataSync()[0]!;
  tf.dispose([value, ...Object.values(grads)]);
  return { loss, gradientNorm };
}
