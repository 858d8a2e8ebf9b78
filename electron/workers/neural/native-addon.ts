/**
 * The neural half of studio_native (native/src/neural/, see native/README.md): typed exports and
 * the loader. The addon is the same file as the HMM E-step's (electron/workers/hmm-native.ts finds
 * and checks it); here we also check the neural exports and their interface version.
 *   STUDIO_NATIVE=off        never use the addon
 *   STUDIO_NATIVE_ADDON      an explicit path to studio_native.node
 */
import fs from 'node:fs';
import { addonCandidates, loadAddon, type StudioNativeAddon } from '../hmm-native';

/** A compiled kernel variant: 'avx512', 'avx2-fma', 'neon' or 'baseline' (what neuralKernels() lists). */
export type NeuralKernelName = string;

interface KernelChoice {
  /** Threads for the large sequence-wide products; default 1. */
  readonly threads?: number;
  /** 'auto' (default: the fastest this CPU runs) or one of neuralKernels(). */
  readonly variant?: NeuralKernelName;
}

export interface GemmCall extends KernelChoice {
  readonly transA?: boolean;
  readonly transB?: boolean;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly a: Float32Array;
  readonly b: Float32Array;
  readonly c: Float32Array;
  /** 0 (overwrite c, the default) or 1 (accumulate into c). */
  readonly beta?: 0 | 1;
}

export interface DenseCall extends KernelChoice {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly x: Float32Array;
  readonly w: Float32Array;
  readonly bias?: Float32Array | null;
  readonly y: Float32Array;
}

export interface DenseBackwardCall extends KernelChoice {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly x: Float32Array;
  readonly w: Float32Array;
  readonly dy: Float32Array;
  readonly dx?: Float32Array | null;
  readonly dw?: Float32Array | null;
  readonly dbias?: Float32Array | null;
}

interface LstmShapeFields {
  readonly steps: number;
  readonly batch: number;
  readonly input: number;
  readonly hidden: number;
}

/** What the forward pass writes and the backward pass reads back (T×B×H, gates T×B×4H). */
export interface LstmSaved {
  readonly h: Float32Array;
  readonly c: Float32Array;
  readonly tanhC: Float32Array;
  readonly gates: Float32Array;
}

export interface LstmForwardCall extends KernelChoice, LstmShapeFields, LstmSaved {
  readonly x: Float32Array;
  readonly h0: Float32Array;
  readonly c0: Float32Array;
  readonly w: Float32Array;
  readonly u: Float32Array;
  readonly bias: Float32Array;
}

export interface LstmBackwardCall extends KernelChoice, LstmShapeFields, LstmSaved {
  readonly x: Float32Array;
  readonly h0: Float32Array;
  readonly c0: Float32Array;
  readonly w: Float32Array;
  readonly u: Float32Array;
  readonly dh?: Float32Array | null;
  readonly dhLast?: Float32Array | null;
  readonly dcLast?: Float32Array | null;
  readonly dx?: Float32Array | null;
  readonly dh0: Float32Array;
  readonly dc0: Float32Array;
  readonly dw: Float32Array;
  readonly du: Float32Array;
  readonly dbias: Float32Array;
}

export interface AdamCall {
  readonly param: Float32Array;
  readonly grad: Float32Array;
  /** Moments, updated in place. */
  readonly m: Float32Array;
  readonly v: Float32Array;
  /** The new parameters (may be `param`). */
  readonly out: Float32Array;
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** 1 − β1ᵗ and 1 − β2ᵗ for this step t ≥ 1. */
  readonly biasCorrection1: number;
  readonly biasCorrection2: number;
  readonly variant?: NeuralKernelName;
}

/** The neural exports of studio_native (native/src/neural/neural_addon.cc). */
export interface NeuralAddon {
  readonly neuralInterfaceVersion: number;
  neuralKernels(): NeuralKernelName[];
  gemm(call: GemmCall): void;
  dense(call: DenseCall): void;
  denseBackward(call: DenseBackwardCall): void;
  lstmForward(call: LstmForwardCall): void;
  lstmBackward(call: LstmBackwardCall): void;
  adam(call: AdamCall): void;
}

export const EXPECTED_NEURAL_INTERFACE_VERSION = 1;

export type NeuralAddonLoad =
  | { readonly addon: NeuralAddon; readonly file: string; readonly kernels: readonly NeuralKernelName[]; readonly reason?: undefined }
  | { readonly addon: null; readonly reason: string };

export interface NeuralAddonOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly candidates?: readonly string[];
}

function neuralExports(addon: StudioNativeAddon, file: string): NeuralAddon {
  const candidate = addon as StudioNativeAddon & Partial<NeuralAddon>;
  if (typeof candidate.lstmForward !== 'function' || typeof candidate.neuralKernels !== 'function') {
    throw new Error(`${file} has no neural kernels: rebuild it (node scripts/build-native.mjs).`);
  }
  if (candidate.neuralInterfaceVersion !== EXPECTED_NEURAL_INTERFACE_VERSION) {
    throw new Error(
      `${file} has neural interface version ${String(candidate.neuralInterfaceVersion)}, expected ${EXPECTED_NEURAL_INTERFACE_VERSION}: rebuild it (node scripts/build-native.mjs).`,
    );
  }
  return candidate as NeuralAddon;
}

/** The addon's neural kernels, or null with the reason they are unavailable. */
export function loadNeuralAddon(options: NeuralAddonOptions = {}): NeuralAddonLoad {
  const env = options.env ?? process.env;
  if (env.STUDIO_NATIVE === 'off') return { addon: null, reason: 'STUDIO_NATIVE=off' };
  const candidates = options.candidates ?? addonCandidates(env);
  const present = candidates.filter((candidate) => fs.existsSync(candidate));
  if (present.length === 0) return { addon: null, reason: `the native addon is not built (looked for ${candidates.join(', ')}; run "node scripts/build-native.mjs")` };
  const failures: string[] = [];
  for (const file of present) {
    try {
      const addon = neuralExports(loadAddon(file), file);
      return { addon, file, kernels: addon.neuralKernels() };
    } catch (error) {
      failures.push(error instanceof Error ? error.message : String(error));
    }
  }
  return { addon: null, reason: `the native addon could not be loaded (${failures.join('; ')})` };
}
