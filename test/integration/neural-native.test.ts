// The native neural kernels (native/src/neural/, through electron/workers/neural/): every op's
// values and gradients against tfjs's own implementation of the same computation (cpu backend,
// autodiff) and against finite differences, for every kernel variant this CPU runs; the GEMM against
// a double-precision reference; Adam against tf.train.adam; bad calls rejected with clear errors.
import { beforeAll, describe, expect, it } from 'vitest';
import { mseWithPositivePressure, sparseCrossEntropyFromLogits } from '../../core/models/neural/losses';
import { NoteLstm, SEEDS_NOTE_LSTM } from '../../core/models/neural/note-lstm';
import { allocateNoteBatch } from '../../core/models/neural/note-windows';
import { lstmAutodiff, type NeuralOps, type Scalar, type Tensor, type Tensor1D, type Tensor2D, type Tensor3D, type Tf } from '../../core/models/neural/ops';
import { createEngine } from '../../electron/workers/neural/engine';
import { fusedMseWithPositivePressure, fusedSparseCrossEntropy } from '../../electron/workers/neural/fused-losses';
import { createNativeAdam } from '../../electron/workers/neural/native-adam';
import { loadNeuralAddon, type NeuralAddon } from '../../electron/workers/neural/native-addon';
import { createNativeOps } from '../../electron/workers/neural/native-ops';
import { checkFiniteDifferences, expectClose, randomArray } from '../unit/neural/helpers';

const load = loadNeuralAddon();
const built = load.addon !== null;
const NOT_BUILT = `the native addon's neural kernels are not available (${load.reason ?? ''}); run "node scripts/build-native.mjs": native tests skipped`;
if (!built) console.warn(NOT_BUILT);
const addon = load.addon as NeuralAddon;
const variants = built ? [...load.kernels] : [];

let tf: Tf;
beforeAll(async () => {
  const engine = await createEngine({ prefer: built ? 'native' : 'cpu' });
  tf = engine.tf;
  if (built) expect(engine.path).toBe('native');
});

describe('loading', () => {
  it('reports why the kernels are unavailable', async () => {
    expect(loadNeuralAddon({ env: { STUDIO_NATIVE: 'off' } })).toEqual({ addon: null, reason: 'STUDIO_NATIVE=off' });
    const absent = loadNeuralAddon({ env: {}, candidates: ['/nonexistent/studio_native.node'] });
    expect(absent.addon).toBeNull();
    expect(absent.reason).toMatch(/not built.*nonexistent/);
    const engine = await createEngine({ prefer: 'native', env: {}, candidates: ['/nonexistent/studio_native.node'] });
    expect(engine.path).toBe('wasm');
    expect(engine.reason).toMatch(/native unavailable: the native addon is not built/);
    expect(engine.ops.name).toBe('tfjs');
    await tf.setBackend('cpu');
  });

  it.skipIf(!built)('lists the compiled variants this CPU runs, fastest first, and lets one be chosen', async () => {
    expect(variants.length).toBeGreaterThanOrEqual(1);
    expect(variants.at(-1)).toMatch(/^(baseline|neon)$/);
    for (const name of variants) expect(['avx512', 'avx2-fma', 'neon', 'baseline']).toContain(name);
    expect((await createEngine({ prefer: 'native', env: {} })).kernel).toBe(variants[0]);
    const last = variants.at(-1)!;
    expect((await createEngine({ prefer: 'native', env: { STUDIO_NATIVE_KERNEL: last } })).kernel).toBe(last);
    const typo = await createEngine({ prefer: 'native', env: { STUDIO_NATIVE_KERNEL: 'avx9' } });
    expect(typo.kernel).toBe(variants[0]);
    expect(typo.reason).toMatch(/STUDIO_NATIVE_KERNEL=avx9 is not available here/);
    await expect(createEngine({ prefer: 'native', env: {}, variant: 'avx9' })).rejects.toThrow(/"avx9" is not available here/);
  });
});

/** C = op(A)·op(B) in double precision. */
function referenceGemm(transA: boolean, transB: boolean, m: number, n: number, k: number, a: Float32Array, b: Float32Array): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += (transA ? a[p * m + i]! : a[i * k + p]!) * (transB ? b[j * k + p]! : b[p * n + j]!);
      c[i * n + j] = sum;
    }
  }
  return c;
}

describe.skipIf(!built)('gemm', () => {
  // Shapes around the tile sizes (4×8, 6×16, 8×32) and the KC=256 / MC / NC blocks.
  const shapes: [number, number, number][] = [
    [1, 1, 1],
    [7, 13, 5],
    [64, 512, 128],
    [33, 65, 300],
    [3, 130, 1],
    [200, 40, 520],
    [17, 1100, 9],
  ];
  for (const variant of variants) {
    it(`matches a double-precision reference (${variant})`, () => {
      for (const [m, n, k] of shapes) {
        for (const [transA, transB] of [
          [false, false],
          [true, false],
          [false, true],
          [true, true],
        ] as const) {
          const a = randomArray(m + n, m * k);
          const b = randomArray(k + 3, k * n);
          const expected = referenceGemm(transA, transB, m, n, k, a, b);
          const c = new Float32Array(m * n).fill(Number.NaN);
          addon.gemm({ transA, transB, m, n, k, a, b, c, variant });
          // float32 accumulation of k terms of size ≤ 1.
          const label = `${variant} ${m}×${n}×${k} ${transA ? 'T' : 'N'}${transB ? 'T' : 'N'}`;
          expect(relative(c, expected), label).toBeLessThan(1e-5 * Math.sqrt(k));
          // beta = 1 adds to c.
          const before = Float32Array.from(c);
          addon.gemm({ transA, transB, m, n, k, a, b, c, beta: 1, variant });
          expect(relative(c, before.map((v) => 2 * v)), `${label} beta=1`).toBeLessThan(1e-6);
        }
      }
    });
  }

  it('splits large products across threads with the same result', () => {
    const [m, n, k] = [300, 700, 400];
    const a = randomArray(1, m * k);
    const b = randomArray(2, k * n);
    const one = new Float32Array(m * n);
    const two = new Float32Array(m * n);
    addon.gemm({ m, n, k, a, b, c: one });
    addon.gemm({ m, n, k, a, b, c: two, threads: 2 });
    expect(Array.from(two)).toEqual(Array.from(one));
  });
});

function relative(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let worst = 0;
  let scale = 0;
  for (let k = 0; k < expected.length; k++) {
    worst = Math.max(worst, Math.abs(actual[k]! - expected[k]!));
    scale = Math.max(scale, Math.abs(expected[k]!));
  }
  return worst / Math.max(scale, 1e-3);
}

interface LstmCase {
  readonly T: number;
  readonly B: number;
  readonly I: number;
  readonly H: number;
  readonly returnSequences: boolean;
  readonly initialState: boolean;
}

// H = 5, 13, 20: not multiples of any vector width (the scalar tails); 32 fills AVX-512 exactly.
const LSTM_CASES: LstmCase[] = [
  { T: 5, B: 3, I: 2, H: 5, returnSequences: false, initialState: false },
  { T: 3, B: 2, I: 3, H: 13, returnSequences: true, initialState: true },
  { T: 1, B: 1, I: 1, H: 3, returnSequences: true, initialState: true },
  { T: 4, B: 9, I: 20, H: 32, returnSequences: true, initialState: false },
  { T: 6, B: 5, I: 7, H: 20, returnSequences: false, initialState: true },
];

const LSTM_NAMES = ['x', 'h0', 'c0', 'kernel', 'recurrentKernel', 'bias'];

function lstmInputs(c: LstmCase): Tensor[] {
  return [
    tf.tensor3d(randomArray(11, c.T * c.B * c.I), [c.T, c.B, c.I]),
    tf.tensor2d(randomArray(12, c.B * c.H, 0.5), [c.B, c.H]),
    tf.tensor2d(randomArray(13, c.B * c.H, 0.5), [c.B, c.H]),
    tf.tensor2d(randomArray(14, c.I * 4 * c.H, 0.5), [c.I, 4 * c.H]),
    tf.tensor2d(randomArray(15, c.H * 4 * c.H, 0.5), [c.H, 4 * c.H]),
    tf.tensor1d(randomArray(16, 4 * c.H, 0.3)),
  ];
}

type LstmRun = (x: Tensor3D, w: Tensor2D, u: Tensor2D, b: Tensor1D, h0: Tensor2D | null, c0: Tensor2D | null) => Tensor;

function lstmLoss(run: LstmRun, c: LstmCase): (inputs: Tensor[]) => Tensor {
  const r = randomArray(17, (c.returnSequences ? c.T : 1) * c.B * c.H);
  return ([x, h0, c0, w, u, b]) =>
    tf.tidy(() => {
      const output = run(x as Tensor3D, w as Tensor2D, u as Tensor2D, b as Tensor1D, c.initialState ? (h0 as Tensor2D) : null, c.initialState ? (c0 as Tensor2D) : null);
      return tf.sum(tf.mul(tf.reshape(output, [-1]), tf.tensor1d(r)));
    });
}

function runWith(ops: NeuralOps | 'autodiff', c: LstmCase): LstmRun {
  return (x, w, u, b, h0, c0) => {
    const options = { returnSequences: c.returnSequences, ...(h0 && c0 ? { initialState: { h: h0, c: c0 } } : {}) };
    const weights = { kernel: w, recurrentKernel: u, bias: b };
    return ops === 'autodiff' ? lstmAutodiff(tf, x, weights, options).output : ops.lstm(x, weights, options).output;
  };
}

/** Value and gradients w.r.t. inputs[k] for k in `which`. */
function valueAndGradients(loss: (inputs: Tensor[]) => Tensor, inputs: Tensor[], which: number[]): { value: number; grads: Map<number, Float32Array> } {
  const result = tf.tidy(() => {
    const g = tf.valueAndGrads((...args: Tensor[]) => {
      const all = [...inputs];
      which.forEach((k, j) => (all[k] = args[j]!));
      return loss(all) as Scalar;
    });
    const { value, grads } = g(which.map((k) => inputs[k]!));
    return [value, ...grads];
  });
  const grads = new Map(which.map((k, j) => [k, Float32Array.from(result[j + 1]!.dataSync())]));
  const value = result[0]!.dataSync()[0]!;
  tf.dispose(result);
  return { value, grads };
}

describe.skipIf(!built)('native LSTM op', () => {
  for (const variant of variants) {
    for (const c of LSTM_CASES) {
      const label = `${variant} T=${c.T} B=${c.B} I=${c.I} H=${c.H}${c.returnSequences ? ' sequences' : ''}${c.initialState ? ' initial state' : ''}`;
      const which = c.initialState ? [0, 1, 2, 3, 4, 5] : [0, 3, 4, 5];

      it(`equals tfjs autodiff, values and gradients (${label})`, () => {
        const ops = createNativeOps(tf, addon, { variant });
        const inputs = lstmInputs(c);
        const ours = valueAndGradients(lstmLoss(runWith(ops, c), c), inputs, which);
        const reference = valueAndGradients(lstmLoss(runWith('autodiff', c), c), inputs, which);
        // Rounding and the kernels' exp/tanh (~1 ulp) only.
        expect(Math.abs(ours.value - reference.value)).toBeLessThan(2e-5 * Math.max(1, Math.abs(reference.value)));
        for (const k of which) expectClose(ours.grads.get(k)!, reference.grads.get(k)!, 2e-5, `${label} d${LSTM_NAMES[k]}`);
        tf.dispose(inputs);
      });

      it(`matches finite differences (${label})`, () => {
        const ops = createNativeOps(tf, addon, { variant });
        const inputs = lstmInputs(c);
        const loss = lstmLoss(runWith(ops, c), c);
        const { grads } = valueAndGradients(loss, inputs, which);
        for (const k of which) checkFiniteDifferences(tf, loss, inputs, grads.get(k)!, k, `${label} d${LSTM_NAMES[k]}`);
        tf.dispose(inputs);
      });
    }
  }

  it('returns the final state, skips the input gradient when asked, and leaks nothing', () => {
    const ops = createNativeOps(tf, addon);
    const c = LSTM_CASES[1]!;
    const inputs = lstmInputs(c);
    const [x, h0, c0, w, u, b] = inputs as [Tensor3D, Tensor2D, Tensor2D, Tensor2D, Tensor2D, Tensor1D];
    const weights = { kernel: w, recurrentKernel: u, bias: b };
    const before = tf.memory().numTensors;
    const [ours, reference] = [ops.lstm(x, weights, { returnSequences: true, initialState: { h: h0, c: c0 } }), lstmAutodiff(tf, x, weights, { returnSequences: true, initialState: { h: h0, c: c0 } })];
    expectClose(ours.hT.dataSync(), reference.hT.dataSync(), 1e-5, 'hT');
    expectClose(ours.cT.dataSync(), reference.cT.dataSync(), 1e-5, 'cT');
    tf.dispose([ours.output, ours.hT, ours.cT, reference.output, reference.hT, reference.cT]);
    const dx = tf.tidy(() => tf.grad((input: Tensor) => tf.sum(ops.lstm(input as Tensor3D, weights, { returnSequences: false, inputGradient: false }).output))(x));
    expect(Array.from(dx.dataSync()).every((v) => v === 0)).toBe(true);
    dx.dispose();
    for (let k = 0; k < 3; k++) valueAndGradients(lstmLoss(runWith(ops, c), c), inputs, [0, 3, 4, 5]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(inputs);
  });

  it('rejects malformed calls with a clear error instead of reading out of bounds', () => {
    const [T, B, I, H] = [2, 3, 4, 5];
    const arrays = {
      steps: T,
      batch: B,
      input: I,
      hidden: H,
      x: new Float32Array(T * B * I),
      h0: new Float32Array(B * H),
      c0: new Float32Array(B * H),
      w: new Float32Array(I * 4 * H),
      u: new Float32Array(H * 4 * H),
      bias: new Float32Array(4 * H),
      h: new Float32Array(T * B * H),
      c: new Float32Array(T * B * H),
      tanhC: new Float32Array(T * B * H),
      gates: new Float32Array(T * B * 4 * H),
    };
    expect(() => addon.lstmForward(arrays)).not.toThrow();
    expect(() => addon.lstmForward({ ...arrays, u: new Float32Array(H * 4 * H - 1) })).toThrow(/lstmForward: u has 99 elements, expected 100/);
    expect(() => addon.lstmForward({ ...arrays, x: new Float64Array(T * B * I) as unknown as Float32Array })).toThrow(TypeError);
    expect(() => addon.lstmForward({ ...arrays, hidden: 0 })).toThrow(/hidden must be a whole number/);
    expect(() => addon.lstmForward({ ...arrays, variant: 'sse9' })).toThrow(/variant "sse9" is not available/);
    expect(() => addon.gemm({ m: 2, n: 2, k: 2, a: new Float32Array(4), b: new Float32Array(4), c: new Float32Array(3) })).toThrow(/c has 3 elements, expected 4/);
    expect(() => addon.gemm({ m: 2, n: 2, k: 2, a: new Float32Array(4), b: new Float32Array(4), c: new Float32Array(4), beta: 2 as 1 })).toThrow(/beta must be 0 or 1/);
    expect(() => (addon.adam as (call: unknown) => void)(null)).toThrow(/expected one options object/);
  });
});

describe.skipIf(!built)('native dense op and fused losses', () => {
  it('dense equals tfjs matMul + bias, values and gradients, and matches finite differences', () => {
    for (const variant of variants) {
      const ops = createNativeOps(tf, addon, { variant });
      const [M, K, N] = [7, 19, 33];
      const inputs = [tf.tensor2d(randomArray(21, M * K), [M, K]), tf.tensor2d(randomArray(22, K * N), [K, N]), tf.tensor1d(randomArray(23, N))];
      const r = randomArray(24, M * N);
      const loss =
        (dense: (x: Tensor2D, w: Tensor2D, b: Tensor1D) => Tensor2D) =>
        ([x, w, b]: Tensor[]): Tensor =>
          tf.tidy(() => tf.sum(tf.mul(tf.reshape(dense(x as Tensor2D, w as Tensor2D, b as Tensor1D), [-1]), tf.tensor1d(r))));
      const native = loss((x, w, b) => ops.dense(x, w, b));
      const reference = loss((x, w, b) => tf.add(tf.matMul(x, w), b));
      const ours = valueAndGradients(native, inputs, [0, 1, 2]);
      const theirs = valueAndGradients(reference, inputs, [0, 1, 2]);
      expect(Math.abs(ours.value - theirs.value)).toBeLessThan(1e-5 * Math.max(1, Math.abs(theirs.value)));
      for (const k of [0, 1, 2]) {
        expectClose(ours.grads.get(k)!, theirs.grads.get(k)!, 1e-5, `${variant} dense d${['x', 'kernel', 'bias'][k]}`);
        checkFiniteDifferences(tf, native, inputs, ours.grads.get(k)!, k, `${variant} dense d${['x', 'kernel', 'bias'][k]}`);
      }
      tf.dispose(inputs);
    }
  });

  it('the fused losses equal the tfjs-op losses, values and gradients, and match finite differences', () => {
    const [B, C] = [6, 11];
    const labels = tf.tensor1d([0, 10, 3, 3, 7, 1], 'int32');
    const target = tf.tensor1d([0.5, 0, 1.5, 0.25, 2, 0.1]);
    const cases: [string, Tensor, (x: Tensor) => Tensor, (x: Tensor) => Tensor][] = [
      ['cross-entropy', tf.tensor2d(randomArray(31, B * C, 3), [B, C]), (x) => fusedSparseCrossEntropy(tf, x as Tensor2D, labels), (x) => sparseCrossEntropyFromLogits(tf, x as Tensor2D, labels)],
      // Predictions on both sides of 0 (the pressure term's kink is away from the samples).
      ['mse with positive pressure', tf.tensor1d([0.3, -0.4, 1.2, -0.05, 2.5, 0.2]), (x) => fusedMseWithPositivePressure(tf, x as Tensor1D, target), (x) => mseWithPositivePressure(tf, x as Tensor1D, target)],
    ];
    for (const [name, input, fused, reference] of cases) {
      const ours = valueAndGradients(([x]) => fused(x!), [input], [0]);
      const theirs = valueAndGradients(([x]) => reference(x!), [input], [0]);
      expect(Math.abs(ours.value - theirs.value), name).toBeLessThan(1e-5 * Math.max(1, Math.abs(theirs.value)));
      expectClose(ours.grads.get(0)!, theirs.grads.get(0)!, 1e-5, name);
      checkFiniteDifferences(tf, ([x]) => fused(x!), [input], ours.grads.get(0)!, 0, name, 6);
      input.dispose();
    }
    expect(() => fusedSparseCrossEntropy(tf, tf.zeros([2, 3]) as Tensor2D, tf.tensor1d([0, 3], 'int32'))).toThrow(/label 3 \(row 1\) is outside 0\.\.2/);
    tf.dispose([labels, target]);
  });
});

describe.skipIf(!built)('native Adam', () => {
  it("follows tf.train.adam step for step, and their checkpoints are interchangeable", async () => {
    const start = [randomArray(41, 300), randomArray(42, 7)];
    const variablesFor = (tag: string) => start.map((values, k) => tf.variable(tf.tensor(values), true, `adam_test_${tag}_${k}`));
    const ours = variablesFor('native');
    const theirs = variablesFor('tfjs');
    const native = createNativeAdam(tf, addon, 0.01);
    const reference = tf.train.adam(0.01);
    const loss = (vars: Tensor[]) => () => tf.addN(vars.map((v, k) => tf.sum(tf.mul(tf.square(tf.sub(v, 0.3 * k)), tf.sin(v))))) as Scalar;
    for (let step = 0; step < 25; step++) {
      native.minimize(loss(ours), false, ours);
      reference.minimize(loss(theirs), false, theirs);
    }
    ours.forEach((v, k) => expectClose(v.dataSync(), theirs[k]!.dataSync(), 1e-5, `variable ${k} after 25 steps`));
    // Same checkpoint layout: [iterations, .../m, .../v].
    const weights = await native.getWeights();
    const referenceWeights = await reference.getWeights();
    expect(weights.map((w) => w.name.replace('native', 'X'))).toEqual(referenceWeights.map((w) => w.name.replace('tfjs', 'X')));
    // Continue tf.train.adam from the native optimiser's state: the same next step as native.
    const resumed = tf.train.adam(0.01);
    await resumed.setWeights(weights.map((w) => ({ name: w.name.replace('native', 'tfjs'), tensor: w.tensor.clone() })));
    start.forEach((_, k) => theirs[k]!.assign(ours[k]!));
    native.minimize(loss(ours), false, ours);
    resumed.minimize(loss(theirs), false, theirs);
    ours.forEach((v, k) => expectClose(v.dataSync(), theirs[k]!.dataSync(), 1e-5, `variable ${k} after resuming`));
    tf.dispose([...ours, ...theirs]);
    native.dispose();
    reference.dispose();
    resumed.dispose();
  });
});

describe.skipIf(!built)("the seeds' LSTM on the native path", () => {
  it('runs a training step in tens of kernel calls, not thousands', async () => {
    const engine = await createEngine({ prefer: 'native' });
    const model = new NoteLstm(engine.tf, engine.ops, SEEDS_NOTE_LSTM);
    const batch = allocateNoteBatch(64, SEEDS_NOTE_LSTM.windowLength);
    batch.inputs.forEach((_, k) => (batch.inputs[k] = ((k * 13) % 17) / 17));
    model.trainStep(batch);
    const profile = await tf.profile(() => {
      model.trainStep(batch);
    });
    expect(profile.kernels.length).toBeGreaterThan(5);
    expect(profile.kernels.length, profile.kernels.map((k) => k.name).join(' ')).toBeLessThan(80);
    model.dispose();
  });
});
