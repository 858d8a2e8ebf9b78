/**
 * Worker side of training: Baum-Welch on the sequences main sent, one checkpoint per completed
 * iteration sent back at once (main stores it: a cancel or a crash loses at most the iteration under
 * way), then the held-out log-likelihood on the validation split. Categorical models use the native
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

export async function trainModel(rawPayload: unknown, context: JobContext): Promise<TrainWorkerResult> {
  TrainModelPayloadSchema.parse(rawPayload);
  const input = readInput(context.input);
  const { settings, train } = input;
  const loaded = train.kind === 'categorical' ? loadHmmKernel({ threads: 1 }) : null;
  const kernel = loaded?.kernel ?? createTypescriptEStepKernel();
  const engine: TrainEngine = loaded?.kernel ? 'native' : 'typescript';
  const trainTokens = tokenCount(train);
  context.progress(0, `Training on ${trainTokens.toLocaleString('en')} tokens of ${train.pieces} piece${train.pieces === 1 ? '' : 's'}…`);

  // Wall-clock time between checkpoints (the core's per-iteration seconds have only ms resolution).
  let lastCheckpointAt = performance.now();
  const result = trainStepwise(train, settings, {
    kernel,
    resume: input.resume,
    shouldStop: () => context.isCancelled(),
    onCheckpoint: ({ record, state }) => {
      const now = performance.now();
      const checkpoint: TrainCheckpointData = {
        type: 'checkpoint',
        iteration: record.iteration,
        logLikelihoodPerToken: record.perToken,
        seconds: (now - lastCheckpointAt) / 1000,
        state,
        engine,
        trainTokens,
      };
      lastCheckpointAt = now;
      context.emit(checkpoint);
      context.progress(record.iteration / settings.maxIterations, `Iteration ${record.iteration}: ${formatNats(record.perToken)} nats/token`);
    },
  });
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
