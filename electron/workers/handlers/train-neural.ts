/**
 * Worker side of training a neural model (LSTM or transformer): the engine (native kernels, else
 * the wasm fallback, else tfjs's cpu backend; it says which and why), the epoch loop, and the
 * checkpoints sent back as it goes. Every epoch is snapshotted, but a checkpoint (the encoded
 * weights and Adam state) goes to main at most once a CHECKPOINT_INTERVAL_MS, and always after the
 * first and the last epoch and when the run stops: a small model runs many epochs a second, and one
 * write each would flood main (and queue a cancel behind them). A stop loses only the epoch under
 * way; a crash at most the last interval.
 */
import type { LstmSettings, TransformerSettings } from '../../../core/ipc/schemas';
import { TrainModelPayloadSchema } from '../../../core/models/hmm-studio/jobs';
import {
  createLstmTask,
  createTransformerTask,
  encodeSnapshot,
  readSavedNeuralModel,
  runNeuralTraining,
  type NeuralCheckpointData,
  type NeuralSnapshot,
  type NeuralTask,
  type NeuralTrainInput,
  type NeuralTrainWorkerResult,
} from '../../../core/models/neural-studio';
import type { TrainingPoint } from '../../../core/ipc/schemas';
import { createEngine, type NeuralEngine } from '../neural/engine';
import type { JobContext } from '../runtime';

const CHECKPOINT_INTERVAL_MS = 1000;

function createTask(engine: NeuralEngine, input: NeuralTrainInput): NeuralTask {
  const { tf, ops } = engine;
  if (input.family === 'lstm') {
    if (input.train.kind !== 'note-steps' || (input.valid && input.valid.kind !== 'note-steps')) throw new Error('An LSTM trains on note-step sequences.');
    return createLstmTask(tf, ops, input.settings as LstmSettings, input.train.data, input.valid?.kind === 'note-steps' ? input.valid.data : null);
  }
  if (input.train.kind !== 'events' || (input.valid && input.valid.kind !== 'events')) throw new Error('A transformer trains on event sequences.');
  return createTransformerTask(tf, ops, input.settings as TransformerSettings, input.train.data, input.valid?.kind === 'events' ? input.valid.data : null);
}

export async function trainNeural(rawPayload: unknown, context: JobContext): Promise<NeuralTrainWorkerResult> {
  TrainModelPayloadSchema.parse(rawPayload);
  const input = context.input as NeuralTrainInput;
  if (!input?.settings || !input.train) throw new Error('The training job started without its sequences.');
  const resume = input.resume === null || input.resume === undefined ? null : readSavedNeuralModel(input.resume, input.family);
  // One thread: the pool's other workers have the other cores.
  const engine = await createEngine({ prefer: 'native', threads: 1 });
  const task = createTask(engine, input);
  const engineReason = engine.reason;
  context.progress(
    0,
    `Training on ${task.trainTokens.toLocaleString('en')} ${input.family === 'lstm' ? 'notes' : 'event tokens'} of ${input.train.pieces} piece${input.train.pieces === 1 ? '' : 's'} (${task.trainExamples.toLocaleString('en')} windows, ${engine.path} engine)…`,
  );

  let lastSentAt = performance.now();
  let pending: TrainingPoint[] = [];
  // The last epoch's snapshot while it has not been sent (a holder: the callbacks below assign it).
  const latest: { unsent: NeuralSnapshot | null } = { unsent: null };
  let sent = 0;
  const send = (snapshot: NeuralSnapshot): void => {
    const now = performance.now();
    const last = snapshot.history.at(-1);
    const data: NeuralCheckpointData = {
      type: 'checkpoint',
      iteration: snapshot.trainer.epochsCompleted,
      points: pending,
      seconds: (now - lastSentAt) / 1000,
      state: encodeSnapshot(snapshot),
      engine: engine.path,
      engineReason,
      trainTokens: task.trainTokens,
      validLogLikelihoodPerToken: last?.validLogLikelihoodPerToken ?? null,
    };
    lastSentAt = now;
    pending = [];
    latest.unsent = null;
    sent++;
    context.emit(data);
  };

  try {
    const result = await runNeuralTraining(engine.tf, task, input.settings, {
      resume,
      shouldStop: () => context.isCancelled(),
      onProgress: (fraction, message) => context.progress(fraction, message),
      onEpoch: ({ record, snapshot, atEnd }) => {
        pending.push(record);
        latest.unsent = snapshot;
        const due = sent === 0 || atEnd || performance.now() - lastSentAt >= CHECKPOINT_INTERVAL_MS || context.isCancelled();
        if (due) send(snapshot);
      },
    });
    // Stopped (or ended) with epochs not yet sent: their checkpoint goes now.
    if (latest.unsent) send(latest.unsent);
    const last = result.history.at(-1);
    const valid = last?.validLogLikelihoodPerToken ?? null;
    if (result.stopReason !== 'stopped') {
      const why = result.earlyStopped ? `stopped early: the validation loss has not improved for ${input.settings.patience} epochs` : 'reached its epoch limit';
      context.progress(1, `Done: ${why} after ${result.epochs} epochs${valid === null ? '' : `; held-out ${valid.toFixed(3)} nats/token`}.`);
    }
    return {
      iterations: result.epochs,
      stopReason: result.stopReason,
      earlyStopped: result.earlyStopped,
      trainLogLikelihoodPerToken: last?.logLikelihoodPerToken ?? null,
      validLogLikelihoodPerToken: valid,
      engine: engine.path,
    };
  } finally {
    task.dispose();
  }
}
