/**
 * The work of a comparison, free of any process: the reference split's metrics once, then for each
 * model its held-out likelihood of the reference split, `samplesPerModel` samples (sample k with seed
 * seed + k and the length policy of models.generate, so every model sees the same seeds), and the
 * metrics of those samples against the reference. The worker handler wires it to the job runtime;
 * tests call it directly. Everything it finds goes out through `emit` as soon as it exists.
 */
import { compareSets } from '../metrics/compare';
import { musPyMetrics } from '../metrics/muspy';
import type { CategoricalEStepKernel } from '../models/hmm/types';
import { generatePiece } from '../models/hmm-studio/generate';
import { loadSavedHmm } from '../models/hmm-studio/saved-model';
import { heldOutPerToken } from '../models/hmm-studio/train';
import { describePieces } from '../music/stats/describe';
import type { Piece } from '../music/types';
import type { CompareData, CompareInput, CompareWorkerResult } from './jobs';

export interface CompareHooks {
  /** 0..1 over the whole comparison, with a line for the composer. */
  progress(fraction: number, message: string): void;
  emit(data: CompareData): void;
  /** Throws to stop the comparison (the job runtime's cancel); called between every unit of work. */
  throwIfCancelled(): void;
  /** The categorical E-step for the likelihood (the native one in a worker); TypeScript when absent. */
  readonly kernel?: CategoricalEStepKernel;
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
    const loaded = loadSavedHmm(model.state, model.settings);
    const logLikelihoodPerToken = heldOutPerToken(loaded, model.sequences, loaded.kind === 'categorical' ? hooks.kernel : undefined);
    done++;

    const pieces: Piece[] = [];
    for (let index = 0; index < input.samplesPerModel; index++) {
      hooks.throwIfCancelled();
      report(done, `Sampling ${index + 1} of ${input.samplesPerModel} from “${model.name}”…`);
      const seed = input.seed + index;
      const piece = generatePiece(loaded, model.settings, { length: input.length, seed }, { name: `Sample ${index + 1}`, tempo: input.tempoBpm });
      pieces.push(piece);
      hooks.emit({ type: 'sample', modelId: model.modelId, index, seed, piece });
      samples++;
      done++;
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
