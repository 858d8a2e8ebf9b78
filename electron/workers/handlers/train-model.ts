/**
 * Worker side of training: Baum-Welch on the sequences main sent, checkpoints sent back as it goes
 * (main stores them: a cancel loses nothing, a crash at most the last second), then the held-out
 * log-likelihood on the validation split. Categorical models use the native
 * E-step when the addon loads (one thread: the pool's other workers have the other cores), else the
 * TypeScript one; the note model's E-step is TypeScript.
 */
import { createTypescriptEStepKernel } from '../../../core/models/hmm/categorical';
import {
  TrainModelPayloadSchema,
  formatNats,
  heldOutPerToken,
  tokenCount,
  trainStepwise,
  type TrainCheckpointData,
  type TrainEngine,
  type TrainModelInput,
  type TrainWorkerResult,
} from '../../../core/models/hmm-studio';
import { loadHmmKernel } from '../hmm-native';
import type { JobContext } from '../runtime';

const CHECKPOINT_INTERVAL_MS = 1000;

export async function trainModel(rawPayload: unknown, context: JobContext): Promise<TrainWorkerResult> {
  TrainModelPayloadSchema.parse(rawPayload);
  const input = readInput(context.input);
  const { settings, train } = input;
  const loaded = train.kind === 'categorical' ? loadHmmKernel({ threads: 1 }) : null;
  const kernel = loaded?.kernel ?? createTypescriptEStepKernel();
  const engine: TrainEngine = loaded?.kernel ? 'native' : 'typescript';
  const trainTokens = tokenCount(train);
  context.progress(0, `Training on ${trainTokens.toLocaleString('en')} tokens of ${train.pieces} piece${train.pieces === 1 ? '' : 's'}…`);

  // A checkpoint (the whole serialised model) goes to main at most once a CHECKPOINT_INTERVAL_MS,
  // and always after the first and the last iteration and when the run stops: a fast native model
  // finishes dozens of iterations a second, and one checkpoint each would flood main with writes
  // (and queue a cancel behind them). A crash loses at most the last interval; a stop loses nothing.
  let lastCheckpointAt = performance.now();
  let pending: { iteration: number; logLikelihoodPerToken: number }[] = [];
  const sendCheckpoint = (iteration: number, state: TrainCheckpointData['state']): void => {
    const now = performance.now();
    const checkpoint: TrainCheckpointData = {
      type: 'checkpoint',
      iteration,
      points: pending,
      seconds: (now - lastCheckpointAt) / 1000,
      state,
      engine,
      trainTokens,
    };
    lastCheckpointAt = now;
    pending = [];
    context.emit(checkpoint);
  };
  let sent = 0;
  const result = trainStepwise(train, settings, {
    kernel,
    resume: input.resume,
    shouldStop: () => context.isCancelled(),
    onCheckpoint: ({ record, state, atEnd }) => {
      pending.push({ iteration: record.iteration, logLikelihoodPerToken: record.perToken });
      const due = sent === 0 || atEnd || performance.now() - lastCheckpointAt >= CHECKPOINT_INTERVAL_MS || context.isCancelled();
      if (due) {
        sendCheckpoint(record.iteration, state());
        sent++;
      }
      context.progress(record.iteration / settings.maxIterations, `Iteration ${record.iteration}: ${formatNats(record.perToken)} nats/token`);
    },
  });
  if (pending.length > 0 && result.state) sendCheckpoint(result.iterations, result.state);
  const last = result.history[result.history.length - 1];
  const outcome = { iterations: result.iterations, stopReason: result.stopReason, trainLogLikelihoodPerToken: last?.perToken ?? null, engine };
  if (result.stopReason === 'stopped' || !result.model) return { ...outcome, validLogLikelihoodPerToken: null };

  let valid: number | null = null;
  if (input.valid) {
    context.progress(1, 'Scoring the validation split…');
    valid = heldOutPerToken(result.model, input.valid, train.kind === 'categorical' ? kernel : undefined);
  }
  const reason = result.stopReason === 'converged' ? 'converged' : 'reached its iteration limit';
  context.progress(1, `Done: ${reason} after ${result.iterations} iterations${valid === null ? '' : `; validation ${formatNats(valid)} nats/token`}.`);
  return { ...outcome, validLogLikelihoodPerToken: valid };
}

/** Main builds the input (electron/main/services/models/train-job.ts); this checks it arrived whole. */
function readInput(input: unknown): TrainModelInput {
  const candidate = input as Partial<TrainModelInput> | undefined;
  if (!candidate?.settings || !candidate.train) throw new Error('The training job started without its sequences.');
  return candidate as TrainModelInput;
}
