/**
 * Worker side of training a polyphonic model: the neural engine (native kernels, else the wasm
 * fallback, else tfjs's cpu backend; it says which and why) with the native NADE loss when the
 * addon has it, the training loop of core/models/polyphonic/train.ts, and checkpoints sent to main
 * as it goes: after an epoch at most once a CHECKPOINT_INTERVAL_MS (always after the first and the
 * last), and when the run stops between two batches, so a cancel loses nothing and a resume from the
 * last checkpoint continues exactly. A checkpoint holds the weights five times over (current, Adam's
 * two moments, best, average: ~25 MB of JSON for the JSB model), hence the longer interval than the
 * other families'; a crash loses at most that much training.
 * To wire as a job handler: `(payload, context) => runPolyphonicTraining(context.input, context)`.
 */
import { POLYPHONIC_FAMILY, type PolyphonicCheckpointData, type PolyphonicTrainInput, type PolyphonicTrainWorkerResult } from '../../../core/models/polyphonic/jobs';
import { PolyphonicModel } from '../../../core/models/polyphonic/model';
import { serializeModel } from '../../../core/models/polyphonic/serialize';
import { trainPolyphonic, type EpochRecord, type PolyphonicCheckpoint } from '../../../core/models/polyphonic/train';
import { createEngine, type EngineOptions } from '../neural/engine';
import type { JobContext } from '../runtime';
import { loadNadeKernel } from './native-nade';

const CHECKPOINT_INTERVAL_MS = 15_000;

export type PolyphonicTrainContext = Pick<JobContext, 'progress' | 'emit' | 'isCancelled'>;

function formatNll(value: number | null): string {
  return value === null ? '–' : `${value.toFixed(3)} nats/frame`;
}

export async function runPolyphonicTraining(rawInput: unknown, context: PolyphonicTrainContext, engineOptions: EngineOptions = {}): Promise<PolyphonicTrainWorkerResult> {
  const input = rawInput as PolyphonicTrainInput;
  if (input?.family !== POLYPHONIC_FAMILY || !input.config || !input.settings || !Array.isArray(input.train) || !Array.isArray(input.valid)) {
    throw new Error('The polyphonic training job started without its settings and pieces.');
  }
  // One thread: the pool's other workers have the other cores.
  const engine = await createEngine({ prefer: 'native', threads: 1, ...engineOptions });
  // The NADE's loss in native code when the engine runs native kernels too (else TypeScript loops).
  const nade = engine.path === 'native' ? loadNadeKernel() : null;
  const model = new PolyphonicModel(engine.tf, engine.ops, input.config, { nadeLoss: nade?.nadeLoss ?? undefined });
  const engineReason = `${engine.reason}; NADE loss ${nade?.nadeLoss ? `native ${nade.variant}` : `in TypeScript${nade ? ` (${nade.reason})` : ''}`}`;
  const trainFrames = input.train.reduce((sum, piece) => sum + piece.steps, 0);
  const maxEpochs = input.resume?.settings.maxEpochs ?? input.settings.maxEpochs;
  context.progress(0, `Training on ${trainFrames.toLocaleString('en')} frames of ${input.train.length} piece${input.train.length === 1 ? '' : 's'} (${engine.path} engine)…`);

  let lastSentAt = performance.now();
  let pending: EpochRecord[] = [];
  let sent = 0;
  const send = (checkpoint: PolyphonicCheckpoint): void => {
    const data: PolyphonicCheckpointData = {
      type: 'checkpoint',
      epoch: checkpoint.epoch,
      points: pending,
      checkpoint,
      engine: engine.path,
      engineReason,
      trainFrames,
    };
    lastSentAt = performance.now();
    pending = [];
    sent++;
    context.emit(data);
  };

  try {
    const result = await trainPolyphonic(
      model,
      { train: input.train, valid: input.valid },
      input.settings,
      {
        shouldStop: () => context.isCancelled(),
        onBatch: ({ epoch, batch, batches, loss }) =>
          context.progress((epoch + batch / batches) / maxEpochs, `Epoch ${epoch + 1}, batch ${batch}/${batches}: ${loss.toFixed(3)} nats/frame`),
        onEpoch: async (record, checkpoint) => {
          pending.push(record);
          context.progress(record.epoch / maxEpochs, `Epoch ${record.epoch}: train ${formatNll(record.trainNll)}, held-out ${formatNll(record.validNll)}`);
          const due = sent === 0 || record.epoch >= maxEpochs || performance.now() - lastSentAt >= CHECKPOINT_INTERVAL_MS || context.isCancelled();
          if (due) send(await checkpoint());
        },
      },
      input.resume ?? undefined,
    );
    // The run's final state (mid-epoch when stopped) is always stored: a resume starts from it.
    if (pending.length > 0 || result.stopReason === 'stopped' || sent === 0) send(result.checkpoint);
    if (result.stopReason !== 'stopped') {
      context.progress(1, `Done (${result.stopReason}) after ${result.epochs} epochs; best held-out ${formatNll(result.best.validNll)} at epoch ${result.best.epoch}.`);
    }
    return {
      stopReason: result.stopReason,
      epochs: result.epochs,
      best: result.best,
      model: result.stopReason === 'stopped' ? null : serializeModel(result.weights),
      seconds: result.seconds,
      engine: engine.path,
    };
  } finally {
    model.dispose();
  }
}
