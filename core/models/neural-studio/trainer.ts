/**
 * The epoch loop every neural family trains with: the learning rate of the epoch (schedule), a
 * seeded shuffle of the training windows, full batches (the remainder is left to the next epoch's
 * shuffle), the cancel flag polled between batches, the validation score after every epoch, early
 * stopping (patience), and a snapshot after every epoch. A cancelled run keeps its last complete
 * epoch: the caller stores that snapshot, and a resume continues from it with the same weights,
 * Adam moments and iteration count, and the same random streams, as if nothing had happened.
 */
import type { NeuralSettings, TrainingPoint } from '../../ipc/schemas';
import { setLearningRate, type Tf } from '../neural/ops';
import { permutation, STREAM, stream } from '../neural/random-streams';
import { decodeSnapshot, restoreSnapshot, takeSnapshot, type NeuralSnapshot, type NeuralStopReason, type SavedNeuralModel, type TrainerState } from './checkpoint';
import { learningRateAt } from './settings';
import type { NeuralTask } from './tasks';

export class TrainingDivergedError extends Error {
  override readonly name = 'TrainingDivergedError';
}

export interface EpochReport {
  readonly record: TrainingPoint;
  /** The model after this epoch, copied. */
  readonly snapshot: NeuralSnapshot;
  /** True for the last epoch of a run that ends by itself (maximum reached or early stopping). */
  readonly atEnd: boolean;
}

export interface TrainingRunOptions {
  /** A stored state to continue from; null starts afresh. */
  readonly resume: SavedNeuralModel | null;
  /** Polled between batches: true stops the run, keeping the last complete epoch. */
  readonly shouldStop: () => boolean;
  readonly onProgress?: (fraction: number, message: string) => void;
  readonly onEpoch?: (report: EpochReport) => void | Promise<void>;
}

export interface TrainingRunResult {
  readonly stopReason: NeuralStopReason;
  /** Epochs completed in all (with those before a resume). */
  readonly epochs: number;
  /** Whether early stopping ended the run (stopReason 'converged'). */
  readonly earlyStopped: boolean;
  readonly history: readonly TrainingPoint[];
  /** The snapshot after the last completed epoch; null when none completed. */
  readonly snapshot: NeuralSnapshot | null;
}

function format(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(1) : value.toPrecision(4);
}

export async function runNeuralTraining(tf: Tf, task: NeuralTask, settings: NeuralSettings, options: TrainingRunOptions): Promise<TrainingRunResult> {
  let trainer: TrainerState = { epochsCompleted: 0, bestValidLoss: null, epochsSinceBest: 0, stopReason: null };
  let history: TrainingPoint[] = [];
  let snapshot: NeuralSnapshot | null = null;
  if (options.resume) {
    snapshot = decodeSnapshot(options.resume);
    await restoreSnapshot(tf, task.model, snapshot);
    history = [...snapshot.history];
    // A run that stopped early is resumed because the composer wants more: patience starts again.
    trainer = { ...snapshot.trainer, epochsSinceBest: snapshot.trainer.stopReason === 'converged' ? 0 : snapshot.trainer.epochsSinceBest, stopReason: null };
  }
  const maxEpochs = settings.maxIterations;
  const N = task.trainExamples;
  const B = task.batchSize;
  const batches = Math.max(1, Math.floor(N / B));
  let stopReason: NeuralStopReason = 'max-iterations';
  let earlyStopped = false;

  for (let epoch = trainer.epochsCompleted + 1; epoch <= maxEpochs; epoch++) {
    const learningRate = learningRateAt(settings, epoch);
    setLearningRate(task.model.optimizer, learningRate);
    const order = permutation(stream(settings.seed, STREAM.shuffle, epoch), N);
    let lossSum = 0;
    let nllSum = 0;
    let counted = 0;
    const began = Date.now();
    for (let b = 0; b < batches; b++) {
      if (options.shouldStop()) return { stopReason: 'stopped', epochs: trainer.epochsCompleted, earlyStopped: false, history, snapshot };
      const outcome = task.trainBatch(order.subarray(b * B, (b + 1) * B), epoch, b);
      if (!Number.isFinite(outcome.loss)) {
        throw new TrainingDivergedError(`Training diverged: the loss became ${outcome.loss} in epoch ${epoch}, batch ${b + 1}. Lower the learning rate (it is ${learningRate}).`);
      }
      lossSum += outcome.loss;
      nllSum += outcome.nll * outcome.count;
      counted += outcome.count;
      options.onProgress?.((epoch - 1 + (b + 1) / batches) / maxEpochs, `Epoch ${epoch} of ${maxEpochs}: batch ${b + 1} of ${batches}, loss ${format(lossSum / (b + 1))}`);
    }
    if (options.shouldStop()) return { stopReason: 'stopped', epochs: trainer.epochsCompleted, earlyStopped: false, history, snapshot };
    const evaluation = task.evaluate();
    const record: TrainingPoint = {
      iteration: epoch,
      logLikelihoodPerToken: counted > 0 ? -nllSum / counted : Number.NaN,
      trainLoss: lossSum / batches,
      learningRate,
      ...(evaluation ? { validLoss: evaluation.loss, validLogLikelihoodPerToken: -evaluation.nllPerToken } : {}),
    };
    history = [...history, record];
    let { bestValidLoss, epochsSinceBest } = trainer;
    if (evaluation) {
      if (bestValidLoss === null || evaluation.loss < bestValidLoss) {
        bestValidLoss = evaluation.loss;
        epochsSinceBest = 0;
      } else {
        epochsSinceBest++;
      }
    }
    earlyStopped = settings.patience > 0 && evaluation !== null && epochsSinceBest >= settings.patience && epoch < maxEpochs;
    const atEnd = earlyStopped || epoch === maxEpochs;
    if (earlyStopped) stopReason = 'converged';
    trainer = { epochsCompleted: epoch, bestValidLoss, epochsSinceBest, stopReason: atEnd ? stopReason : null };
    snapshot = await takeSnapshot(task.model, task.description, trainer, history);
    options.onProgress?.(
      epoch / maxEpochs,
      `Epoch ${epoch} of ${maxEpochs}: loss ${format(record.trainLoss!)}` +
        (evaluation ? `, validation ${format(evaluation.loss)}` : '') +
        ` (${((Date.now() - began) / 1000).toFixed(1)} s)`,
    );
    await options.onEpoch?.({ record, snapshot, atEnd });
    if (earlyStopped) break;
  }
  return { stopReason, epochs: trainer.epochsCompleted, earlyStopped, history, snapshot };
}
