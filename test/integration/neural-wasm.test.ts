// The wasm fallback: tfjs's wasm backend with the kernel fixes of electron/workers/neural/wasm-backend.ts
// (matmul transposes, slices) gives the cpu backend's results; the engine runs inside a worker thread
// from a bundle (as the job worker does) on both paths.
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tensor, Tf } from '../../core/models/neural/ops';
import { createEngine } from '../../electron/workers/neural/engine';
import { loadNeuralAddon } from '../../electron/workers/neural/native-addon';
import { projectRoot } from '../support/paths';
import { randomArray } from '../unit/neural/helpers';

let tf: Tf;
beforeAll(async () => {
  const engine = await createEngine({ prefer: 'wasm' });
  expect(engine.path).toBe('wasm');
  expect(engine.reason).toMatch(/wasm backend \(SIMD, 1 thread, matmul-transpose and slice fixes\)/);
  tf = engine.tf;
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

/** Runs f on the wasm backend and on the cpu backend; returns both results' values. */
async function onBoth(f: () => Tensor | Tensor[]): Promise<[Float32Array[], Float32Array[]]> {
  const run = (): Float32Array[] => {
    const out = tf.tidy(f);
    const list = Array.isArray(out) ? out : [out];
    const values = list.map((t) => Float32Array.from(t.dataSync()));
    tf.dispose(list);
    return values;
  };
  await tf.setBackend('wasm');
  const wasm = run();
  await tf.setBackend('cpu');
  const cpu = run();
  await tf.setBackend('wasm');
  return [wasm, cpu];
}

/** max |a − b| relative to the largest |b| (float32 sums of K products differ by rounding only). */
function maxRelative(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  let scale = 0;
  for (let k = 0; k < a.length; k++) {
    worst = Math.max(worst, Math.abs(a[k]! - b[k]!));
    scale = Math.max(scale, Math.abs(b[k]!));
  }
  return worst / Math.max(scale, 1);
}

describe('wasm matmul transpose fix', () => {
  it('is installed for BatchMatMul and _FusedMatMul', () => {
    for (const name of ['BatchMatMul', '_FusedMatMul']) {
      const kernel = tf.getKernel(name, 'wasm') as unknown as Record<symbol, unknown>;
      expect(Object.getOwnPropertySymbols(kernel).map(String)).toContain('Symbol(studio.wasmTransposeFix)');
    }
  });

  const shapes: [number[], number[], boolean, boolean][] = [
    [[64, 128], [512, 128], false, true],
    [[128, 64], [128, 512], true, false],
    [[37, 19], [23, 37], true, true],
    [[3, 5, 7], [3, 9, 7], false, true],
    [[2, 7, 5], [2, 7, 4], true, false],
    [[16, 33], [33, 8], false, false],
  ];
  for (const [aShape, bShape, transposeA, transposeB] of shapes) {
    it(`matMul [${aShape}]${transposeA ? 'ᵀ' : ''} · [${bShape}]${transposeB ? 'ᵀ' : ''} equals the cpu backend within 1e-6`, async () => {
      const size = (shape: number[]) => shape.reduce((p, d) => p * d, 1);
      const a = randomArray(1, size(aShape));
      const b = randomArray(2, size(bShape));
      const bias = randomArray(3, transposeB ? bShape.at(-2)! : bShape.at(-1)!);
      // (Batched fused products with a bias are wrong in tfjs-backend-wasm 4.22 with or without
      // transposes, a bug of its own: fused.matMul is checked on 2-D inputs only.)
      const [wasm, cpu] = await onBoth(() => [
        tf.matMul(tf.tensor(a, aShape), tf.tensor(b, bShape), transposeA, transposeB),
        ...(aShape.length === 2
          ? [tf.fused.matMul({ a: tf.tensor2d(a, aShape as [number, number]), b: tf.tensor2d(b, bShape as [number, number]), transposeA, transposeB, bias: tf.tensor1d(bias), activation: 'relu' })]
          : []),
      ]);
      for (let k = 0; k < wasm.length; k++) {
        expect(wasm[k]!.some((v) => v !== 0)).toBe(true);
        expect(maxRelative(wasm[k]!, cpu[k]!), ['matMul', 'fused.matMul'][k]).toBeLessThan(1e-6);
      }
    });
  }

  it('gives the cpu backend\'s gradients of a dense layer (which use both transposes)', async () => {
    const x = randomArray(4, 32 * 20);
    const w = randomArray(5, 20 * 12);
    const [wasm, cpu] = await onBoth(() => tf.grads((xs: Tensor, ws: Tensor) => tf.sum(tf.square(tf.matMul(xs, ws))))([tf.tensor2d(x, [32, 20]), tf.tensor2d(w, [20, 12])]));
    expect(maxRelative(wasm[0]!, cpu[0]!)).toBeLessThan(1e-5);
    expect(maxRelative(wasm[1]!, cpu[1]!)).toBeLessThan(1e-5);
  });
});

describe('wasm slice fix', () => {
  it('Slice, SplitV and Unpack return exactly the cpu backend\'s values', async () => {
    const x = randomArray(6, 4 * 5 * 6 * 3);
    const [wasm, cpu] = await onBoth(() => {
      const t = tf.tensor4d(x, [4, 5, 6, 3]);
      return [
        tf.slice(t, [1, 2, 0, 1], [2, 3, 6, 2]),
        tf.slice(t, [3, 0, 5, 0], [1, -1, 1, -1]),
        tf.slice(tf.tensor1d(x), [7], [20]),
        ...tf.split(tf.reshape(t, [20, 18]), [4, 10, 4], 1),
        ...tf.split(tf.reshape(t, [20, 18]), 5, 0),
        ...tf.unstack(tf.reshape(t, [4, 30, 3]), 1).slice(0, 3),
        ...tf.unstack(tf.reshape(t, [4, 90]), 0),
      ];
    });
    expect(wasm.length).toBe(cpu.length);
    wasm.forEach((values, k) => expect(Array.from(values), `output ${k}`).toEqual(Array.from(cpu[k]!)));
  });
});

describe('the engine in a worker thread', () => {
  let bundle = '';
  beforeAll(async () => {
    // Bundled with esbuild like the job worker, and run from eval so nothing is written.
    const result = await build({
      stdin: {
        contents: `
          import { parentPort, workerData } from 'node:worker_threads';
          import { createEngine } from './electron/workers/neural/engine';
          import { NoteLstm, SEEDS_NOTE_LSTM } from './core/models/neural/note-lstm';
          import { allocateNoteBatch } from './core/models/neural/note-windows';
          (async () => {
            const engine = await createEngine({ prefer: workerData.prefer });
            const config = { ...SEEDS_NOTE_LSTM, windowLength: 6, units: [16] };
            const model = new NoteLstm(engine.tf, engine.ops, config);
            const batch = allocateNoteBatch(8, 6);
            batch.inputs.forEach((_, k) => (batch.inputs[k] = (k % 7) / 7));
            batch.pitch.forEach((_, k) => (batch.pitch[k] = 60 + k));
            const losses = [model.trainStep(batch), model.trainStep(batch), model.trainStep(batch)];
            parentPort.postMessage({ path: engine.path, reason: engine.reason, losses });
          })().catch((error) => parentPort.postMessage({ error: String(error && error.stack || error) }));
        `,
        resolveDir: projectRoot,
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      write: false,
      logLevel: 'silent',
    });
    bundle = result.outputFiles[0]!.text;
  });

  const runIn = (prefer: string) =>
    new Promise<{ path: string; reason: string; losses: number[]; error?: string }>((resolve, reject) => {
      const worker = new Worker(bundle, { eval: true, workerData: { prefer } });
      worker.once('message', (message: { path: string; reason: string; losses: number[]; error?: string }) => void worker.terminate().then(() => resolve(message)));
      worker.once('error', reject);
    });

  it('trains on the wasm path (SIMD wasm from the package folder) and on the native path, with the same losses', async () => {
    const wasm = await runIn('wasm');
    expect(wasm.error).toBeUndefined();
    expect(wasm.path).toBe('wasm');
    expect(wasm.losses.every(Number.isFinite)).toBe(true);
    const cpu = await runIn('cpu');
    expect(cpu.path).toBe('cpu');
    cpu.losses.forEach((loss, k) => expect(Math.abs(loss - wasm.losses[k]!)).toBeLessThan(1e-4 * Math.max(1, loss)));
    const load = loadNeuralAddon();
    if (load.addon) {
      const native = await runIn('native');
      expect(native.error).toBeUndefined();
      expect(native.path).toBe('native');
      native.losses.forEach((loss, k) => expect(Math.abs(loss - wasm.losses[k]!)).toBeLessThan(1e-4 * Math.max(1, loss)));
    } else {
      console.warn(`native kernels unavailable (${load.reason}): the worker test ran the wasm and cpu paths only`);
    }
  });
});
