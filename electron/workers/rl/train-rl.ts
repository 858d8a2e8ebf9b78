/**
 * Worker side of RL tuning: the neural engine (native kernels, else wasm, else tfjs's cpu backend;
 * it says which and why), the loop of core/models/rl/train.ts, and checkpoints sent to main as it
 * goes: after an iteration at most once a CHECKPOINT_INTERVAL_MS (always after the first and the
 * last), and when the run stops between two iterations, so a cancel loses nothing and a resume from
 * the last checkpoint continues exactly. Each checkpoint carries the iterations' records since the
 * previous one (the UI's reward, KL, entropy and discriminator-accuracy curves).
 * To wire as a job handler: `(payload, context) => runRlTraining(context.input, context)`.
 */
import { loadSavedNeural } from '../../../core/models/neural-studio/saved-model';
import { decodeArrays } from '../../../core/models/neural/weights-codec';
import { RL_FAMILY, type RlCheckpointData, type RlTrainInput, type RlTrainWorkerResult } from '../../../core/models/rl/jobs';
import { savedRlModel, type RlIterationRecord, type SavedRlModel } from '../../../core/models/rl/saved-model';
import { startModelFromSaved } from '../../../core/models/rl/start-model';
import { trainRl, type RlCheckpoint } from '../../../core/models/rl/train';
import { createEngine, type EngineOptions } from '../neural/engine';
import type { JobContext } from '../runtime';

/** Checkpoints hold both networks three times over (weights, Adam's two moments): ~2 MB of JSON for a 128-unit LSTM. */
const CHECKPOINT_INTERVAL_MS = 5_000;

export type RlTrainContext = Pick<JobContext, 'progress' | 'emit' | 'isCancelled'>;

function describe(record: RlIterationRecord): string {
  const accuracy = record.discriminatorAccuracy ? `, D ${(100 * record.discriminatorAccuracy.real).toFixed(0)}%/${(100 * record.discriminatorAccuracy.fake).toFixed(0)}%` : '';
  return `reward ${record.reward.toFixed(3)}, KL ${record.kl.toFixed(3)} nats${accuracy}`;
}

export async function runRlTraining(rawInput: unknown, context: RlTrainContext, engineOptions: EngineOptions = {}): Promise<RlTrainWorkerResult> {
  const input = rawInput as RlTrainInput;
  if (input?.family !== RL_FAMILY || !input.settings || !input.corpus || input.startModel === undefined) {
    throw new Error('The RL training job started without its start model, corpus and settings.');
  }
  const start = startModelFromSaved(input.startModel, input.startSettings ?? null);
  // One thread: the pool's other workers have the other cores.
  const engine = await createEngine({ prefer: 'native', threads: 1, ...engineOptions });
  const iterations = input.settings.iterations;
  context.progress(0, `Tuning the LSTM by reinforcement (${engine.path} engine)…`);

  let lastSentAt = performance.now();
  let pending: RlIterationRecord[] = [];
  let sent = 0;
  const send = (checkpoint: RlCheckpoint): void => {
    // The tuned model as of this checkpoint: what main stores beside it for generation and comparison.
    const model = savedRlModel(start, decodeArrays(checkpoint.policy.weights), decodeArrays(checkpoint.discriminator.weights), checkpoint.settings, checkpoint.history);
    const data: RlCheckpointData = { type: 'checkpoint', iteration: checkpoint.iteration, points: pending, checkpoint, model, engine: engine.path, engineReason: engine.reason };
    lastSentAt = performance.now();
    pending = [];
    sent++;
    context.emit(data);
  };

  const result = await trainRl(
    engine,
    start,
    input.corpus,
    input.settings,
    {
      shouldStop: () => context.isCancelled(),
      onIteration: async (record, checkpoint) => {
        pending.push(record);
        context.progress(record.iteration / iterations, `Iteration ${record.iteration}/${iterations}: ${describe(record)}`);
        const due = sent === 0 || record.iteration >= iterations || performance.now() - lastSentAt >= CHECKPOINT_INTERVAL_MS || context.isCancelled();
        if (due) send(await checkpoint());
      },
    },
    input.resume ?? undefined,
  );
  // The run's final state is always stored: a resume starts from it.
  if (pending.length > 0 || sent === 0 || result.stopReason === 'stopped') send(result.checkpoint);
  const last = result.history.at(-1) ?? null;
  const validLogLikelihoodPerToken = result.stopReason === 'stopped' ? null : heldOut(engine, input, result.model);
  if (result.stopReason !== 'stopped') {
    const valid = validLogLikelihoodPerToken === null ? '' : `; held-out ${validLogLikelihoodPerToken.toFixed(3)} nats/note (pitch)`;
    context.progress(1, `Done (${result.stopReason}) after ${result.iterations} iterations${last ? `: ${describe(last)}` : ''}${valid}.`);
  }
  return { stopReason: result.stopReason, iterations: result.iterations, model: result.model, last, validLogLikelihoodPerToken, seconds: result.seconds, engine: engine.path };
}

/** The tuned policy's held-out pitch log-likelihood per note on the valid split, scored as an LSTM's (one pass: cheap beside the tuning). */
function heldOut(engine: Awaited<ReturnType<typeof createEngine>>, input: RlTrainInput, model: SavedRlModel): number | null {
  if (!input.valid || !model.startSettings) return null;
  const loaded = loadSavedNeural(engine.tf, engine.ops, model.startSettings, model.policy);
  try {
    return loaded.heldOutPerToken(input.valid);
  } finally {
    loaded.dispose();
  }
}
