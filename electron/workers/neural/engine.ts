/**
 * The neural training engine of a worker: TensorFlow.js for tensors, autodiff, optimisers and
 * weight serialisation, made fast by one of three paths (the engine reports which, and why):
 *   native  studio_native's fused kernels (GEMM, sequence-level LSTM forward/backward, Adam) as tfjs
 *           ops with their own gradients; the remaining small ops on the cpu backend, whose tensors
 *           are plain Float32Arrays so the kernels read and write them without copies.
 *   wasm    the fallback when the addon is not built: tfjs's wasm backend (SIMD, one thread) with
 *           the matmul transpose fix, and the LSTM in plain tfjs ops (same maths).
 *   cpu     plain tfjs on its JavaScript backend: slowest, always there.
 * TensorFlow.js keeps one engine per thread (worker), so a worker uses one path at a time.
 *   STUDIO_NATIVE=off         skip the native path (as for the HMM E-step).
 *   STUDIO_NATIVE_KERNEL=...  force a compiled kernel variant ('avx2-fma', 'baseline', ...), e.g. to
 *                             measure what a CPU without AVX-512 gets.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { createTfjsOps, type NeuralOps, type Tf } from '../../../core/models/neural/ops';
import { loadNeuralAddon, type NeuralKernelName } from './native-addon';
import { createNativeOps } from './native-ops';
import { useWasmBackend } from './wasm-backend';

export type EnginePath = 'native' | 'wasm' | 'cpu';

export interface NeuralEngine {
  readonly tf: Tf;
  readonly path: EnginePath;
  /** One sentence for logs and the UI: what runs, and why not something faster. */
  readonly reason: string;
  readonly ops: NeuralOps;
  /** The native kernel variant in use ('avx512', 'avx2-fma', 'neon', 'baseline') on the native path. */
  readonly kernel?: NeuralKernelName;
}

export interface EngineOptions {
  /** The fastest path wanted; slower ones are used when it is unavailable. Default 'native'. */
  readonly prefer?: EnginePath;
  /** Native path: threads for the large products (default 1). */
  readonly threads?: number;
  /** Native path: 'auto' (default: STUDIO_NATIVE_KERNEL, else the fastest) or a variant from neuralKernels(). */
  readonly variant?: NeuralKernelName;
  /** For tests: the environment (STUDIO_NATIVE, STUDIO_NATIVE_ADDON) and addon locations. */
  readonly env?: NodeJS.ProcessEnv;
  readonly candidates?: readonly string[];
}

const ORDER: readonly EnginePath[] = ['native', 'wasm', 'cpu'];

export async function createEngine(options: EngineOptions = {}): Promise<NeuralEngine> {
  const prefer = options.prefer ?? 'native';
  if (!ORDER.includes(prefer)) throw new RangeError(`createEngine: prefer must be 'native', 'wasm' or 'cpu', got ${String(prefer)}.`);
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`createEngine: threads must be a whole number ≥ 1, got ${threads}.`);
  const fallbacks: string[] = [];
  // Production mode only silences tfjs's console warnings, chiefly the cpu backend's advice to
  // install tfjs-node (which cannot install offline; this engine is the answer to that advice).
  tf.env().set('PROD', true);

  if (prefer === 'native') {
    const load = loadNeuralAddon({ env: options.env, candidates: options.candidates });
    if (load.addon) {
      const fastest = load.kernels[0]!;
      const requested = options.variant ?? 'auto';
      if (requested !== 'auto' && !load.kernels.includes(requested)) {
        throw new RangeError(`createEngine: kernel variant "${requested}" is not available here (${load.kernels.join(', ')}).`);
      }
      // An unusable STUDIO_NATIVE_KERNEL is reported, not fatal.
      const fromEnv = options.variant ? undefined : (options.env ?? process.env).STUDIO_NATIVE_KERNEL;
      const kernel = requested !== 'auto' ? requested : fromEnv && load.kernels.includes(fromEnv) ? fromEnv : fastest;
      const note = fromEnv && fromEnv !== kernel ? ` (STUDIO_NATIVE_KERNEL=${fromEnv} is not available here)` : '';
      await setBackend('cpu');
      return {
        tf,
        path: 'native',
        reason: `native ${kernel} kernels${note} from ${load.file} (${threads} thread${threads === 1 ? '' : 's'}); other ops on the cpu backend`,
        ops: createNativeOps(tf, load.addon, { threads, variant: kernel }),
        kernel,
      };
    }
    fallbacks.push(`native unavailable: ${load.reason}`);
  }

  if (prefer === 'native' || prefer === 'wasm') {
    try {
      const { simd } = await useWasmBackend(tf);
      const backend = `wasm backend (${simd ? 'SIMD' : 'no SIMD'}, 1 thread, matmul-transpose and slice fixes)`;
      return { tf, path: 'wasm', reason: [...fallbacks, backend].join('; '), ops: createTfjsOps(tf) };
    } catch (error) {
      fallbacks.push(`wasm unavailable: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  await setBackend('cpu');
  return { tf, path: 'cpu', reason: [...fallbacks, 'cpu backend (plain JavaScript)'].join('; '), ops: createTfjsOps(tf) };
}

async function setBackend(name: string): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`the ${name} backend failed to initialise`);
  await tf.ready();
}
