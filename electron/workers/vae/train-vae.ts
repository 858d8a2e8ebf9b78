/**
 * Worker side of training a VAE: the neural engine (native kernels, else wasm, else tfjs's cpu
 * backend; it says which and why), the training loop of core/models/vae/train.ts, and checkpoints
 * sent to main as it goes: after an epoch at most once a CHECKPOINT_INTERVAL_MS (always after the
 * first and the last), and when the run stops between two batches, so a cancel loses nothing and a
 * resume from the last checkpoint continues exactly.
 * To wire as a job handler: `(payload, context) => runVaeTraining(context.input, context)`.
 */
import { VAE_FAMILY, type VaeCheckpointData, type VaeTrainInput, type VaeTrainWorkerResult } from '../../../core/models/vae/jobs';
import { VaeModel } from '../../../core/models/vae/model';
import { serializeVaeModel } from '../../../core/models/vae/serialize';
import { trainVae, type VaeCheckpoint, type VaeEpochRecord } from '../../../core/models/vae/train';
import { createEngine, type EngineOptions } from '../neural/engine';
import type { JobContext } from '../runtime';

const CHECKPOINT_INTERVAL_MS = 10_000;

export type VaeTrainContext = Pick<JobContext, 'progress' | 'emit' | 'isCancelled'>;

function formatBound(value: number | null): string {
  return value === null ? '–' : `${value.toFixed(2)} nats/segment (bound)`;
}

function formatAccuracy(value: number | null): string {
  return value === null ? '–' : `${(100 * value).toFixed(1)}%`;
}

export async function runVaeTraining(rawInput: unknown, context: VaeTrainContext, engineOptions: EngineOptions = {}): Promise<VaeTrainWorkerResult> {
  const input = rawInput as VaeTrainInput;
  if (input?.family !== VAE_FAMILY || !input.config || !input.settings || !Array.isArray(input.train) || !Array.isArray(input.valid)) {
    throw new Error('The VAE training job started without its settings and segments.');
  }
  // One thread: the pool's other workers have the other cores.
  const engine = await createEngine({ prefer: 'native', threads: 1, ...engineOptions });
  const model = new VaeModel(engine.tf, engine.ops, input.config);
  const trainSegments = input.train.length;
  const maxEpochs = input.resume?.settings.maxEpochs ?? input.settings.maxEpochs;
  context.progress(0, `Training on ${trainSegments.toLocaleString('en')} segments (${engine.path} engine)…`);

  let lastSentAt = performance.now();
  let pending: VaeEpochRecord[] = [];
  let sent = 0;
  const send = (checkpoint: VaeCheckpoint): void => {
    const data: VaeCheckpointData = { type: 'checkpoint', epoch: checkpoint.epoch, points: pending, checkpoint, engine: engine.path, engineReason: engine.reason, trainSegments };
    lastSentAt = performance.now();
    pending = [];
    sent++;
    context.emit(data);
  };

  try {
    const result = await trainVae(
      model,
      { train: input.train, valid: input.valid },
      input.settings,
      {
        shouldStop: () => context.isCancelled(),
        onBatch: ({ epoch, batch, batches, loss }) => context.progress((epoch + batch / batches) / maxEpochs, `Epoch ${epoch + 1}, batch ${batch}/${batches}: loss ${loss.toFixed(2)}`),
        onEpoch: async (record, checkpoint) => {
          pending.push(record);
          context.progress(
            record.epoch / maxEpochs,
            `Epoch ${record.epoch}: reconstruction ${formatAccuracy(record.trainAccuracy)}, KL ${record.trainKl.toFixed(2)} nats, β ${record.beta.toFixed(3)}; held-out ${formatBound(record.validNllBound)}, greedy ${formatAccuracy(record.validGreedyAccuracy)}`,
          );
          const due = sent === 0 || record.epoch >= maxEpochs || performance.now() - lastSentAt >= CHECKPOINT_INTERVAL_MS || context.isCancelled();
          if (due) send(await checkpoint());
        },
      },
      input.resume ?? undefined,
      engine.ops.raw,
    );
    // The run's final state (mid-epoch when stopped) is always stored: a resume starts from it.
    if (pending.length > 0 || result.stopReason === 'stopped' || sent === 0) send(result.checkpoint);
    if (result.stopReason !== 'stopped') {
      context.progress(1, `Done (${result.stopReason}) after ${result.epochs} epochs; best held-out ${formatBound(result.best.validNllBound)} at epoch ${result.best.epoch}.`);
    }
    return {
      stopReason: result.stopReason,
      epochs: result.epochs,
      best: result.best,
      model: result.stopReason === 'stopped' ? null : serializeVaeModel(result.weights),
      seconds: result.seconds,
      engine: engine.path,
    };
  } finally {
    model.dispose();
  }
}
