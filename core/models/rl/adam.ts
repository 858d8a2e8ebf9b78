/**
 * Adam for the RL tuner's two networks, with gradient clipping by global norm, and a state that
 * restores exactly. tf.train.adam keeps β₁ᵗ and β₂ᵗ as float32 products updated every step but
 * recomputes them with pow() when its state is restored, which differs in the last bits, so a
 * resumed run would drift from the uninterrupted one; here the bias corrections are computed from
 * the step count in double precision every step (as the native Adam does), and the state is just
 * the step count and the moments.
 */
import type { Scalar, Tensor, Tf, Variable } from '../neural/ops';
import type { NamedArray } from '../neural/weights-codec';
import { RlError } from './errors';

const BETA1 = 0.9;
const BETA2 = 0.999;
/** tf.train.adam's default on the cpu backend. */
const EPSILON = 1e-7;

export interface AdamStepResult {
  readonly loss: number;
  /** The gradient's global norm before clipping. */
  readonly gradientNorm: number;
}

export class RlAdam {
  private iterations = 0;
  private readonly first: Variable[];
  private readonly second: Variable[];

  constructor(
    private readonly tf: Tf,
    private readonly variables: readonly Variable[],
    readonly names: readonly string[],
    readonly learningRate: number,
  ) {
    if (variables.length !== names.length) throw new RlError('Adam: one name per variable.');
    this.first = variables.map((variable) => tf.tidy(() => tf.variable(tf.zerosLike(variable), false)));
    this.second = variables.map((variable) => tf.tidy(() => tf.variable(tf.zerosLike(variable), false)));
  }

  /** Minimises `loss` (built inside): gradients, clipped to a global norm of `clipNorm` (0: not clipped), one Adam step. */
  minimize(loss: () => Scalar, clipNorm: number): AdamStepResult {
    const { tf } = this;
    return tf.tidy(() => {
      const { value, grads } = tf.variableGrads(loss, [...this.variables]);
      const gradients = this.variables.map((variable) => grads[variable.name]!);
      const norm = Math.sqrt(gradients.reduce((sum, gradient) => sum + tf.sum(tf.square(gradient)).dataSync()[0]!, 0));
      const scale = clipNorm > 0 && norm > clipNorm ? clipNorm / norm : 1;
      this.apply(scale === 1 ? gradients : gradients.map((gradient) => tf.mul(gradient, scale)));
      return { loss: value.dataSync()[0]!, gradientNorm: norm };
    });
  }

  private apply(gradients: readonly Tensor[]): void {
    const { tf } = this;
    const step = this.iterations + 1;
    const correction1 = 1 - Math.pow(BETA1, step);
    const correction2 = 1 - Math.pow(BETA2, step);
    tf.tidy(() => {
      this.variables.forEach((variable, k) => {
        const gradient = gradients[k]!;
        const m = tf.add(tf.mul(this.first[k]!, BETA1), tf.mul(gradient, 1 - BETA1));
        const v = tf.add(tf.mul(this.second[k]!, BETA2), tf.mul(tf.square(gradient), 1 - BETA2));
        this.first[k]!.assign(m);
        this.second[k]!.assign(v);
        const update = tf.div(tf.div(m, correction1), tf.add(tf.sqrt(tf.div(v, correction2)), EPSILON));
        variable.assign(tf.sub(variable, tf.mul(update, this.learningRate)));
      });
    });
    this.iterations = step;
  }

  /** The step count and the moments, named after the weights. */
  state(): NamedArray[] {
    const moments = (list: readonly Variable[], suffix: string): NamedArray[] =>
      list.map((moment, k) => ({ name: `${this.names[k]!}/${suffix}`, shape: [...moment.shape], values: Float32Array.from(moment.dataSync() as Float32Array) }));
    return [{ name: 'iter', shape: [], values: Int32Array.of(this.iterations) }, ...moments(this.first, 'm'), ...moments(this.second, 'v')];
  }

  setState(arrays: readonly NamedArray[], what: string): void {
    const { tf } = this;
    const [iterations, ...moments] = arrays;
    if (!iterations || iterations.name !== 'iter' || iterations.values.length !== 1) throw new RlError(`The checkpoint's ${what} optimiser state has no step count.`);
    const count = this.variables.length;
    if (moments.length !== 2 * count) throw new RlError(`The checkpoint's ${what} optimiser state has ${moments.length} moments for ${count} weights.`);
    moments.forEach((moment, k) => {
      const index = k % count;
      const expected = `${this.names[index]!}/${k < count ? 'm' : 'v'}`;
      const target = (k < count ? this.first : this.second)[index]!;
      if (moment.name !== expected || moment.shape.join() !== target.shape.join()) {
        throw new RlError(`The checkpoint's ${what} optimiser state has "${moment.name}" [${moment.shape.join(', ')}] where "${expected}" [${target.shape.join(', ')}] belongs.`);
      }
      tf.tidy(() => target.assign(tf.tensor(moment.values, [...moment.shape])));
    });
    this.iterations = iterations.values[0]!;
  }

  dispose(): void {
    this.tf.dispose([...this.first, ...this.second]);
  }
}
