/**
 * TensorFlow.js's wasm backend in Node worker threads (the fallback when the native addon is not
 * built): the SIMD binary from the package's own folder, threads off (the threaded binary needs
 * browser Workers), plus the matmul transpose fix below.
 *
 * Two kernel fixes, each the same result as the kernel it replaces (tested against the cpu backend):
 * - matmul transposes: the wasm BatchMatMul runs at 30–39 GFLOP/s here, but at 1.6–3 GFLOP/s when
 *   transposeA or transposeB is set, and every dense/LSTM gradient sets one. The replacement
 *   transposes the flagged inputs first (the wasm Transpose kernel, a memory copy), then runs the
 *   fast non-transposed product.
 * - slices: the wasm Slice (and Unpack and SplitV, built on it) copies the WHOLE input out of wasm
 *   memory (readSync) for every slice taken, so unstacking a [T, B, 4H] sequence into its T steps
 *   copied it T times (60 ms for the seeds' LSTM). The replacements copy only the slice, from a view
 *   of wasm memory.
 */
import path from 'node:path';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { Tf } from '../../../core/models/neural/ops';

type KernelConfig = NonNullable<ReturnType<Tf['getKernel']>>;
type KernelArgs = Parameters<KernelConfig['kernelFunc']>[0];
type TensorInfo = { dataId: object; shape: number[]; dtype: string };
type HeapArray = Float32Array | Int32Array | Uint8Array;
/** The parts of tfjs-backend-wasm's BackendWasm these kernels use. */
interface WasmBackend {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): HeapArray;
  disposeData(dataId: object): void;
}

/** Kernels whose transposed forms are slow in wasm; both take inputs {a, b, ...} and attrs {transposeA, transposeB}. */
const MATMUL_KERNELS = ['BatchMatMul', '_FusedMatMul'] as const;
const FIXED = Symbol('studio.wasmTransposeFix');

function wasmFolder(): string {
  // The package's main file is dist/tf-backend-wasm.node.js; the .wasm binaries sit beside it.
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep;
}

/** Switches tf to the wasm backend (SIMD when the runtime has it, one thread) with the kernel fixes installed. */
export async function useWasmBackend(tf: Tf): Promise<{ readonly simd: boolean }> {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setWasmPaths(wasmFolder());
  installWasmTransposeFix(tf);
  installWasmSliceFix(tf);
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend failed to initialise');
  await tf.ready();
  return { simd: Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) };
}

/** Re-registers the wasm matmul kernels so transposed inputs are transposed first. Idempotent. */
export function installWasmTransposeFix(tf: Tf): void {
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!transpose) throw new Error('the wasm backend is not loaded (no Transpose kernel registered)');
  for (const kernelName of MATMUL_KERNELS) {
    const original = tf.getKernel(kernelName, 'wasm');
    if (!original || (original as KernelConfig & { [FIXED]?: true })[FIXED]) continue;
    tf.unregisterKernel(kernelName, 'wasm');
    const fixed: KernelConfig & { [FIXED]: true } = {
      kernelName,
      backendName: 'wasm',
      setupFunc: original.setupFunc,
      disposeFunc: original.disposeFunc,
      kernelFunc: (args: KernelArgs) => {
        const attrs = args.attrs as { transposeA?: boolean; transposeB?: boolean };
        if (!attrs.transposeA && !attrs.transposeB) return original.kernelFunc(args);
        const backend = args.backend as { disposeData(dataId: object): void };
        const inputs = args.inputs as Record<string, TensorInfo>;
        const temporaries: TensorInfo[] = [];
        const swapLastTwo = (x: TensorInfo): TensorInfo => {
          const rank = x.shape.length;
          const perm = [...Array.from({ length: rank - 2 }, (_, axis) => axis), rank - 1, rank - 2];
          const out = transpose.kernelFunc({ inputs: { x } as KernelArgs['inputs'], backend: args.backend, attrs: { perm } }) as TensorInfo;
          temporaries.push(out);
          return out;
        };
        try {
          return original.kernelFunc({
            ...args,
            inputs: { ...inputs, a: attrs.transposeA ? swapLastTwo(inputs.a!) : inputs.a!, b: attrs.transposeB ? swapLastTwo(inputs.b!) : inputs.b! } as KernelArgs['inputs'],
            attrs: { ...args.attrs, transposeA: false, transposeB: false },
          });
        } finally {
          for (const temporary of temporaries) backend.disposeData(temporary.dataId);
        }
      },
      [FIXED]: true,
    };
    tf.registerKernel(fixed);
  }
}

/** Copies the box begin..begin+size of x into a new output, from a view of wasm memory. */
function sliceFromHeap(backend: WasmBackend, x: TensorInfo, begin: readonly number[], size: readonly number[]): TensorInfo {
  const out = backend.makeOutput([...size], x.dtype);
  // Views only after makeOutput: allocating may grow wasm memory, which detaches older views.
  const source = backend.typedArrayFromHeap(x);
  const target = backend.typedArrayFromHeap(out);
  const rank = x.shape.length;
  const strides = new Array<number>(rank).fill(1);
  for (let axis = rank - 2; axis >= 0; axis--) strides[axis] = strides[axis + 1]! * x.shape[axis + 1]!;
  const run = rank === 0 ? 1 : size[rank - 1]!;
  const total = size.reduce((product, extent) => product * extent, 1);
  if (total === 0) return out;
  // Walk the outer indices (all axes but the last) like an odometer, copying one contiguous run each.
  const index = new Array<number>(Math.max(rank - 1, 0)).fill(0);
  for (let written = 0; written < total; written += run) {
    let offset = rank === 0 ? 0 : begin[rank - 1]!;
    for (let axis = 0; axis < rank - 1; axis++) offset += (begin[axis]! + index[axis]!) * strides[axis]!;
    target.set(source.subarray(offset, offset + run), written);
    for (let axis = rank - 2; axis >= 0; axis--) {
      if (++index[axis]! < size[axis]!) break;
      index[axis] = 0;
    }
  }
  return out;
}

/** Re-registers the wasm Slice, SplitV and Unpack kernels to copy only what they return. Idempotent. */
export function installWasmSliceFix(tf: Tf): void {
  const replace = (kernelName: string, kernelFunc: (args: KernelArgs, original: KernelConfig) => TensorInfo | TensorInfo[]): void => {
    const original = tf.getKernel(kernelName, 'wasm');
    if (!original || (original as KernelConfig & { [FIXED]?: true })[FIXED]) return;
    tf.unregisterKernel(kernelName, 'wasm');
    const fixed: KernelConfig & { [FIXED]: true } = {
      kernelName,
      backendName: 'wasm',
      setupFunc: original.setupFunc,
      disposeFunc: original.disposeFunc,
      // Strings live outside wasm memory: the original kernels handle them.
      kernelFunc: ((args: KernelArgs) =>
        (Object.values(args.inputs)[0] as TensorInfo).dtype === 'string' ? original.kernelFunc(args) : kernelFunc(args, original)) as KernelConfig['kernelFunc'],
      [FIXED]: true,
    };
    tf.registerKernel(fixed);
  };
  replace('Slice', (args) => {
    const x = (args.inputs as Record<string, TensorInfo>).x!;
    const { begin, size } = args.attrs as { begin: number | number[]; size: number | number[] };
    const [begin_, size_] = tf.slice_util.parseSliceParams(x as unknown as Parameters<typeof tf.slice_util.parseSliceParams>[0], begin, size) as [number[], number[]];
    return sliceFromHeap(args.backend as WasmBackend, x, begin_, size_);
  });
  replace('SplitV', (args) => {
    const x = (args.inputs as Record<string, TensorInfo>).x!;
    const { numOrSizeSplits, axis } = args.attrs as { numOrSizeSplits: number | number[]; axis: number };
    const along = tf.util.parseAxisParam(axis, x.shape)[0]!;
    const sizes = tf.backend_util.prepareSplitSize(x as unknown as Parameters<typeof tf.backend_util.prepareSplitSize>[0], numOrSizeSplits, along);
    const begin = new Array<number>(x.shape.length).fill(0);
    return sizes.map((extent) => {
      const size = [...x.shape];
      size[along] = extent;
      const out = sliceFromHeap(args.backend as WasmBackend, x, begin, size);
      begin[along] = begin[along]! + extent;
      return out;
    });
  });
  replace('Unpack', (args) => {
    const value = (args.inputs as Record<string, TensorInfo>).value!;
    const rank = value.shape.length;
    const axis = ((args.attrs as { axis: number }).axis + rank) % rank;
    const outShape = value.shape.filter((_, k) => k !== axis);
    const size = [...value.shape];
    size[axis] = 1;
    return Array.from({ length: value.shape[axis]! }, (_, k) => {
      const begin = new Array<number>(rank).fill(0);
      begin[axis] = k;
      const out = sliceFromHeap(args.backend as WasmBackend, value, begin, size);
      return { ...out, shape: outShape };
    });
  });
}
