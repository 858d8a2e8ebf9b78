/**
 * Loads the native E-step (native/build/Release/studio_native.node, built by
 * scripts/build-native.mjs) for training workers. When it is absent or cannot load, the worker
 * trains with core's TypeScript kernel instead: same algorithm and results, slower.
 *   STUDIO_NATIVE=off        always use TypeScript
 *   STUDIO_NATIVE_ADDON      an explicit path to studio_native.node
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CategoricalCounts, CategoricalEStepKernel, CategoricalHmmParams, SequenceSet } from '../../core/models/hmm/types';

/** The addon's exports (native/src/addon.cc). */
export interface StudioNativeAddon {
  readonly interfaceVersion: number;
  eStep(
    initial: Float64Array,
    transition: Float64Array,
    emission: Float64Array,
    symbols: Int32Array,
    offsets: Int32Array,
    initialCounts: Float64Array,
    transitionCounts: Float64Array,
    emissionCounts: Float64Array,
    threads?: number,
    variant?: KernelVariant,
  ): number;
  /** What 'auto' runs on this machine: 'avx2-fma' or 'baseline'. */
  kernelVariant(): string;
  hardwareConcurrency(): number;
}

/** 'auto': AVX2+FMA when the CPU has it; 'baseline': the portable build (for comparisons). */
export type KernelVariant = 'auto' | 'baseline';

/** The exports this code was written against; a different build is stale and is not used. */
export const EXPECTED_INTERFACE_VERSION = 1;
const ADDON_RELATIVE_PATH = path.join('native', 'build', 'Release', 'studio_native.node');

export type HmmKernelLoad =
  | {
      readonly kernel: CategoricalEStepKernel;
      readonly path: string;
      readonly threads: number;
      /** The compiled variant that runs: 'avx2-fma' or 'baseline'. */
      readonly variant: string;
      readonly reason?: undefined;
    }
  | { readonly kernel: null; readonly reason: string };

export interface LoadOptions {
  /** Threads per E-step; default: the machine's hardware concurrency. */
  readonly threads?: number;
  readonly variant?: KernelVariant;
  /** For tests: the environment to read STUDIO_NATIVE / STUDIO_NATIVE_ADDON from. */
  readonly env?: NodeJS.ProcessEnv;
  /** For tests: where to look instead of the usual places. */
  readonly candidates?: readonly string[];
}

/** Where the addon may be, most specific first. */
export function addonCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const candidates: string[] = [];
  if (env.STUDIO_NATIVE_ADDON) candidates.push(env.STUDIO_NATIVE_ADDON);
  // A packaged app: electron-builder unpacks native/build/Release/*.node beside app.asar.
  const resourcesPath = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  if (resourcesPath) candidates.push(path.join(resourcesPath, 'app.asar.unpacked', ADDON_RELATIVE_PATH));
  // This file bundled inside a packaged app (app.asar/.vite/build, or app.asar.unpacked for the
  // unpacked job worker): the resources folder is what precedes the archive's name. A .node file
  // cannot be loaded from inside an asar archive, only from its unpacked twin.
  const packaged = /^(.*?)[\\/]app\.asar(?:\.unpacked)?(?=$|[\\/])/.exec(__dirname);
  if (packaged) candidates.push(path.join(packaged[1]!, 'app.asar.unpacked', ADDON_RELATIVE_PATH));
  else candidates.push(path.join(projectRoot(), ADDON_RELATIVE_PATH));
  return [...new Set(candidates)];
}

/** The folder holding package.json, found by walking up from this file (source or bundle). */
function projectRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return process.cwd();
}

const loaded = new Map<string, StudioNativeAddon>();

/** Loads and checks the addon at `file`; throws with a readable message when it is unusable. */
export function loadAddon(file: string): StudioNativeAddon {
  const cached = loaded.get(file);
  if (cached) return cached;
  const holder = { exports: {} as Partial<StudioNativeAddon> };
  // process.dlopen, not require: bundlers leave it alone, and it reports load errors plainly.
  process.dlopen(holder, file);
  const addon = holder.exports;
  if (typeof addon.eStep !== 'function' || typeof addon.hardwareConcurrency !== 'function' || typeof addon.kernelVariant !== 'function') {
    throw new Error(`${file} does not export eStep: it is not the studio's addon.`);
  }
  if (addon.interfaceVersion !== EXPECTED_INTERFACE_VERSION) {
    throw new Error(`${file} has interface version ${String(addon.interfaceVersion)}, expected ${EXPECTED_INTERFACE_VERSION}: rebuild it (node scripts/build-native.mjs).`);
  }
  loaded.set(file, addon as StudioNativeAddon);
  return addon as StudioNativeAddon;
}

/** Wraps the addon as core's E-step kernel interface. */
export function nativeKernel(addon: StudioNativeAddon, threads: number, variant: KernelVariant = 'auto'): CategoricalEStepKernel {
  return {
    name: 'native',
    eStep(params: CategoricalHmmParams, data: SequenceSet, out: CategoricalCounts): number {
      return addon.eStep(
        params.initial,
        params.transition,
        params.emission,
        data.symbols,
        data.offsets,
        out.initialCounts,
        out.transitionCounts,
        out.emissionCounts,
        threads,
        variant,
      );
    },
  };
}

/**
 * The native E-step kernel, or null with the reason it is not available (log the reason; the
 * caller then trains with core's createTypescriptEStepKernel()).
 */
export function loadHmmKernel(options: LoadOptions = {}): HmmKernelLoad {
  const env = options.env ?? process.env;
  if (env.STUDIO_NATIVE === 'off') return { kernel: null, reason: 'STUDIO_NATIVE=off: using the TypeScript kernel.' };
  const candidates = options.candidates ?? addonCandidates(env);
  const present = candidates.filter((candidate) => fs.existsSync(candidate));
  if (present.length === 0) {
    return {
      kernel: null,
      reason: `The native addon is not built (looked for ${candidates.join(', ')}); run "node scripts/build-native.mjs". Using the TypeScript kernel.`,
    };
  }
  const failures: string[] = [];
  for (const file of present) {
    try {
      const addon = loadAddon(file);
      const threads = options.threads ?? Math.max(1, addon.hardwareConcurrency());
      if (!Number.isInteger(threads) || threads < 1) return { kernel: null, reason: `threads must be a positive integer, got ${threads}.` };
      const variant = options.variant ?? 'auto';
      return { kernel: nativeKernel(addon, threads, variant), path: file, threads, variant: variant === 'auto' ? addon.kernelVariant() : 'baseline' };
    } catch (error) {
      failures.push(`${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { kernel: null, reason: `The native addon could not be loaded (${failures.join('; ')}). Using the TypeScript kernel.` };
}
