/**
 * Adam whose update runs in one native call per variable instead of ~12 tfjs ops. A tf.Optimizer
 * with tf.train.adam's formula, defaults (β1 0.9, β2 0.999, ε = the backend's epsilon) and state
 * layout: getWeights() returns [iterations, <var>/m..., <var>/v...] like AdamOptimizer, so a
 * checkpoint saved by either loads into the other.
 */
import type { Optimizer, Tensor, Tf, Variable } from '../../../core/models/neural/ops';
import type { NeuralAddon, NeuralKernelName } from './native-addon';

type NamedTensor = { name: string; tensor: Tensor };
type VariableGradients = Record<string, Tensor> | NamedTensor[];

interface Moment {
  readonly originalName: string;
  readonly variable: Variable;
}

export function createNativeAdam(tf: Tf, addon: NeuralAddon, learningRate: number, variant: NeuralKernelName = 'auto', beta1 = 0.9, beta2 = 0.999): Optimizer {
  if (!(learningRate > 0) || !Number.isFinite(learningRate)) throw new RangeError(`Adam: the learning rate must be a positive number, got ${learningRate}.`);
  const epsilon = tf.backend().epsilon();

  class NativeAdamOptimizer extends tf.Optimizer {
    static get className(): string {
      return 'Adam';
    }

    /** Read at every step, so a schedule can change it (setLearningRate in core/models/neural/ops.ts). */
    learningRate = learningRate;
    private firstMoments: Moment[] = [];
    private secondMoments: Moment[] = [];

    override applyGradients(variableGradients: VariableGradients): void {
      const entries: [string, Tensor | undefined][] = Array.isArray(variableGradients)
        ? variableGradients.map((entry) => [entry.name, entry.tensor])
        : Object.keys(variableGradients).map((name) => [name, variableGradients[name]]);
      // β^t for the step about to be taken (t = iterations + 1), in double precision.
      const step = this.iterations + 1;
      const biasCorrection1 = 1 - Math.pow(beta1, step);
      const biasCorrection2 = 1 - Math.pow(beta2, step);
      entries.forEach(([name, gradient], i) => {
        const value = tf.engine().registeredVariables[name];
        if (!value) throw new Error(`Adam: no variable named "${name}".`);
        this.firstMoments[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        this.secondMoments[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        if (!gradient) return;
        if (value.dtype !== 'float32' || gradient.dtype !== 'float32') throw new TypeError(`Adam: "${name}" and its gradient must be float32.`);
        const firstMoment = this.firstMoments[i]!.variable;
        const secondMoment = this.secondMoments[i]!.variable;
        // New arrays: a tensor's data is never written in place (other tensors may share it).
        const m = Float32Array.from(firstMoment.dataSync() as Float32Array);
        const v = Float32Array.from(secondMoment.dataSync() as Float32Array);
        const out = new Float32Array(m.length);
        addon.adam({
          param: value.dataSync() as Float32Array,
          grad: gradient.dataSync() as Float32Array,
          m,
          v,
          out,
          lr: this.learningRate,
          beta1,
          beta2,
          epsilon,
          biasCorrection1,
          biasCorrection2,
          variant,
        });
        tf.tidy(() => {
          firstMoment.assign(tf.tensor(m, firstMoment.shape));
          secondMoment.assign(tf.tensor(v, secondMoment.shape));
          value.assign(tf.tensor(out, value.shape));
        });
      });
      this.incrementIterations();
    }

    override dispose(): void {
      tf.dispose([...this.firstMoments, ...this.secondMoments].map((moment) => moment.variable));
      this.firstMoments = [];
      this.secondMoments = [];
    }

    override async getWeights(): Promise<NamedTensor[]> {
      const moments = [...this.firstMoments, ...this.secondMoments];
      return [await this.saveIterations(), ...moments.map((moment) => ({ name: moment.originalName, tensor: moment.variable }))];
    }

    override async setWeights(weightValues: NamedTensor[]): Promise<void> {
      const values = await this.extractIterations(weightValues);
      const count = values.length / 2;
      this.dispose();
      this.firstMoments = values.slice(0, count).map((entry) => ({ originalName: entry.name, variable: entry.tensor.variable(false) }));
      this.secondMoments = values.slice(count).map((entry) => ({ originalName: entry.name, variable: entry.tensor.variable(false) }));
    }

    override getConfig(): { learningRate: number; beta1: number; beta2: number; epsilon: number } {
      return { learningRate: this.learningRate, beta1, beta2, epsilon };
    }
  }

  return new NativeAdamOptimizer();
}
