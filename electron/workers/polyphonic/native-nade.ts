/**
 * The NADE loss kernel of studio_native (native/src/polyphonic/, see native/README.md) as core's
 * NadeLossFunction: the same maths as core/models/polyphonic/nade.ts (float32 arithmetic instead of
 * double in the sums; tests bound the difference), ~15× faster with AVX-512. Loaded like the neural
 * kernels (same addon file): STUDIO_NATIVE=off skips it; an addon built before these exports (or
 * with another interface version) is refused with the reason, and the TypeScript loops are used.
 */
import type { NadeLossFunction } from '../../../core/models/polyphonic/nade';
import { loadNeuralAddon } from '../neural/native-addon';

export interface NadeLossCall {
  readonly rows: number;
  readonly pitches: number;
  readonly hidden: number;
  readonly outputs: Float32Array;
  readonly w: Float32Array;
  readonly v: Float32Array;
  readonly targets: Uint8Array;
  readonly rowWeights: Float32Array;
  readonly dOutputs?: Float32Array | null;
  readonly dW?: Float32Array | null;
  readonly dV?: Float32Array | null;
  readonly threads?: number;
  readonly variant?: string;
}

export interface NadeAddon {
  readonly polyphonicInterfaceVersion: number;
  nadeKernels(): string[];
  nadeLoss(call: NadeLossCall): number;
}

export const EXPECTED_POLYPHONIC_INTERFACE_VERSION = 1;

export type NadeKernelLoad =
  | { readonly nadeLoss: NadeLossFunction; readonly variant: string; readonly file: string; readonly reason?: undefined }
  | { readonly nadeLoss: null; readonly reason: string };

export interface NadeKernelOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly candidates?: readonly string[];
  /** 'auto' (default: STUDIO_NATIVE_KERNEL when available, else the fastest) or one of nadeKernels(). */
  readonly variant?: string;
  readonly threads?: number;
}

function nadeExports(addon: object, file: string): NadeAddon {
  const candidate = addon as Partial<NadeAddon>;
  if (typeof candidate.nadeLoss !== 'function' || typeof candidate.nadeKernels !== 'function') {
    throw new Error(`${file} has no NADE kernel: rebuild it (node scripts/build-native.mjs).`);
  }
  if (candidate.polyphonicInterfaceVersion !== EXPECTED_POLYPHONIC_INTERFACE_VERSION) {
    throw new Error(`${file} has polyphonic interface version ${String(candidate.polyphonicInterfaceVersion)}, expected ${EXPECTED_POLYPHONIC_INTERFACE_VERSION}: rebuild it.`);
  }
  return candidate as NadeAddon;
}

/**
 * The native NADE loss, or null with the reason it is unavailable. The addon is found and checked as
 * the neural kernels' (the same file); its NADE exports are checked here.
 */
export function loadNadeKernel(options: NadeKernelOptions = {}): NadeKernelLoad {
  const load = loadNeuralAddon({ env: options.env, candidates: options.candidates });
  if (!load.addon) return { nadeLoss: null, reason: load.reason };
  const env = options.env ?? process.env;
  const file = load.file;
  try {
    const addon = nadeExports(load.addon, file);
    const kernels = addon.nadeKernels();
    const requested = options.variant ?? 'auto';
    if (requested !== 'auto' && !kernels.includes(requested)) throw new Error(`NADE kernel variant "${requested}" is not available here (${kernels.join(', ')}).`);
    const fromEnv = env.STUDIO_NATIVE_KERNEL;
    const variant = requested !== 'auto' ? requested : fromEnv && kernels.includes(fromEnv) ? fromEnv : kernels[0]!;
    const threads = options.threads ?? 1;
    const nadeLoss: NadeLossFunction = (shape, outputs, W, V, targets, rowWeights, gradients) =>
      addon.nadeLoss({
        rows: shape.rows,
        pitches: shape.pitches,
        hidden: shape.hidden,
        outputs,
        w: W,
        v: V,
        targets,
        rowWeights,
        dOutputs: gradients?.dOutputs ?? null,
        dW: gradients?.dW ?? null,
        dV: gradients?.dV ?? null,
        threads,
        variant,
      });
    return { nadeLoss, variant, file };
  } catch (error) {
    return { nadeLoss: null, reason: `the NADE kernel could not be loaded (${error instanceof Error ? error.message : String(error)})` };
  }
}
