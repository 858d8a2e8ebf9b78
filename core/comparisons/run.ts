/**
 * The work of a comparison, free of any process: the reference split's metrics once, then for each
 * model its held-out likelihood of the reference split, `samplesPerModel` samples (sample k with seed
 * seed + k and the length policy of models.generate, so every model sees the same seeds), and the
 * metrics of those samples against the reference. HMMs are scored and sampled as hmm-studio does;
 * LSTMs and transformers as neural-studio's saved-model.ts does (models.generate's sampling with its
 * defaults: temperature 1, no primer), on the engine the caller hands over (an RL model's policy
 * arrives as an LSTM); polyphonic models as polyphonic.ts does, VAEs as vae.ts does. The worker handler
 * wires it to the job runtime; tests call it directly. Everything it finds goes out through `emit`
 * as soon as it exists.
 */
import { compareSets } from '../metrics/compare';
import { musPyMetrics } from '../metrics/muspy';
import type { CategoricalEStepKernel } from '../models/hmm/types';
import { generatePiece } from '../models/hmm-studio/generate';
import { loadSavedHmm } from '../models/hmm-studio/saved-model';
import { heldOutPerToken } from '../models/hmm-studio/train';
import type { NeuralOps, Tf } from '../models/neural/ops';
import type { NadeLossFunction } from '../models/polyphonic/nade';
import { samplingOf } from '../models/neural-studio/generate';
import { loadSavedNeural } from '../models/neural-studio/saved-model';
import { describePieces } from '../music/stats/describe';
import type { Piece } from '../music/types';
import { isHmmCompareInput, isPolyphonicCompareInput, isVaeCompareInput, type CompareData, type CompareInput, type CompareModelInput, type CompareWorkerResult } from './jobs';
import { preparePolyphonicRun } from './polyphonic';
import { prepareVaeRun } from './vae';

export interface CompareHooks {
  /** 0..1 over the whole comparison, with a line for the composer. */
  progress(fraction: number, message: string): void;
  emit(data: CompareData): void;
  /** Throws to stop the comparison (the job runtime's cancel); called between every unit of work. */
  throwIfCancelled(): void;
  /** The categorical E-step for the likelihood (the native one in a worker); TypeScript when absent. */
  readonly kernel?: CategoricalEStepKernel;
  /** The neural engine (a worker's createEngine); needed only when an LSTM, transformer or polyphonic model is compared. */
  readonly neural?: NeuralRuntime;
}

export interface NeuralRuntime {
  readonly tf: Tf;
  readonly ops: NeuralOps;
  /** The native NADE loss for polyphonic models' likelihood, when the worker has it. */
  readonly nadeLoss?: NadeLossFunction;
}

/** A model ready for its part of the comparison. */
interface ComparedRun {
  readonly logLikelihoodPerToken: number | null;
  sample(index: number, seed: number): Piece;
  dispose(): void;
}

/** Neural samples check the cancel flag every this many notes or tokens (a long one takes seconds). */
const CANCEL_CHECK_EVERY = 16;

function prepareModel(model: CompareModelInput, input: CompareInput, hooks: CompareHooks): ComparedRun {
  const length = input.length;
  const pieceOptions = (index: number) => ({ name: `Sample ${index + 1}`, tempo: input.tempoBpm });
  if (isPolyphonicCompareInput(model)) {
    if (!hooks.neural) throw new Error(`Comparing “${model.name}” (polyphonic) needs the neural engine, which this run was not given.`);
    return { ...preparePolyphonicRun(model, input, hooks.neural), dispose: () => undefined };
  }
  if (isVaeCompareInput(model)) {
    if (!hooks.neural) throw new Error(`Comparing “${model.name}” (VAE) needs the neural engine, which this run was not given.`);
    return { ...prepareVaeRun(model.state, input, hooks.neural), dispose: () => undefined };
  }
  if (isHmmCompareInput(model)) {
    const loaded = loadSavedHmm(model.state, model.settings);
    return {
      logLikelihoodPerToken: heldOutPerToken(loaded, model.sequences, loaded.kind === 'categorical' ? hooks.kernel : undefined),
      sample: (index, seed) => generatePiece(loaded, model.settings, { length, seed }, pieceOptions(index)),
      dispose: () => undefined,
    };
  }
  if (!hooks.neural) throw new Error(`Comparing “${model.name}” (${model.settings.family}) needs the neural engine, which this run was not given.`);
  const loaded = loadSavedNeural(hooks.neural.tf, hooks.neural.ops, model.settings, model.state);
  try {
    // models.generate's defaults: temperature 1, no top-k or top-p, no primer clip.
    const sampling = samplingOf(1);
    const onStep = (count: number): void => {
      if (count % CANCEL_CHECK_EVERY === 0) hooks.throwIfCancelled();
    };
    return {
      logLikelihoodPerToken: loaded.heldOutPerToken(model.sequences),
      sample: (index, seed) => loaded.samplePiece({ ...sampling, length, seed }, { kind: 'none' }, pieceOptions(index), { onStep }),
      dispose: () => loaded.dispose(),
    };
  } catch (error) {
    loaded.dispose();
    throw error;
  }
}

/** Units of progress: the reference, and per model its likelihood, each sample and the measuring. */
const MEASURE_UNITS = 2;

export function runComparison(input: CompareInput, hooks: CompareHooks): CompareWorkerResult {
  const perModel = 1 + input.samplesPerModel + MEASURE_UNITS;
  const total = 1 + input.models.length * perModel;
  let done = 0;
  const report = (units: number, message: string): void => hooks.progress(Math.min(1, units / total), message);

  hooks.throwIfCancelled();
  report(0, `Measuring the ${input.reference.length} reference piece${input.reference.length === 1 ? '' : 's'}…`);
  hooks.emit({ type: 'reference', musPy: musPyMetrics(input.reference), statistics: describePieces(input.reference) });
  done = 1;

  let samples = 0;
  for (const model of input.models) {
    hooks.throwIfCancelled();
    report(done, `Scoring “${model.name}” on the reference split…`);
    const run = prepareModel(model, input, hooks);
    const { logLikelihoodPerToken } = run;
    done++;

    const pieces: Piece[] = [];
    try {
      for (let index = 0; index < input.samplesPerModel; index++) {
        hooks.throwIfCancelled();
        report(done, `Sampling ${index + 1} of ${input.samplesPerModel} from “${model.name}”…`);
        const seed = input.seed + index;
        const piece = run.sample(index, seed);
        pieces.push(piece);
        hooks.emit({ type: 'sample', modelId: model.modelId, index, seed, piece });
        samples++;
        done++;
      }
    } finally {
      run.dispose();
    }

    hooks.throwIfCancelled();
    report(done, `Measuring “${model.name}”’s samples against the reference…`);
    const musPy = musPyMetrics(pieces);
    const statistics = describePieces(pieces);
    const measured = done;
    const relative = compareSets(input.reference, pieces, {
      onProgress: (step, steps) => {
        hooks.throwIfCancelled();
        report(measured + (MEASURE_UNITS * step) / steps, `Measuring “${model.name}”’s samples against the reference…`);
      },
    });
    done += MEASURE_UNITS;
    hooks.emit({ type: 'model', modelId: model.modelId, logLikelihoodPerToken, musPy, relative, statistics });
  }
  report(total, `Compared ${input.models.length} model${input.models.length === 1 ? '' : 's'} on ${samples} sample${samples === 1 ? '' : 's'}.`);
  return { models: input.models.length, samples };
}
