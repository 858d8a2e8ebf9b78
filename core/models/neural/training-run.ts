/**
 * What the epoch-based training runs of the polyphonic models and the VAE have in common: why a run
 * stopped, the progress and callbacks it reports through, and the checks a checkpoint passes before
 * a run resumes from it. Each family keeps its own checkpoint (its own encoding of the arrays).
 */

export type TrainStopReason = 'converged' | 'max-epochs' | 'time-limit' | 'stopped';

export interface EpochBatchProgress {
  readonly epoch: number;
  readonly batch: number;
  readonly batches: number;
  readonly loss: number;
}

export interface EpochTrainCallbacks<EpochRecord, Checkpoint> {
  /** Polled between batches: true stops the run (the result's checkpoint resumes it exactly). */
  shouldStop?(): boolean;
  onBatch?(progress: EpochBatchProgress): void;
  /** After each epoch; `checkpoint()` builds the full checkpoint (costly: call it when you store one). */
  onEpoch?(record: EpochRecord, checkpoint: () => Promise<Checkpoint>): void | Promise<void>;
  /** Milliseconds, for the time budget and the records; default Date.now. */
  now?(): number;
}

/**
 * Throws `error(...)` unless `checkpoint` is version 1 of `format` and was made for `config`
 * (`family` names the kind of checkpoint in the message, e.g. "VAE").
 */
export function checkResumable(
  checkpoint: { readonly format: string; readonly version: number; readonly config: unknown },
  expected: { readonly format: string; readonly family: string; readonly config: unknown },
  error: (message: string) => Error,
): void {
  if (checkpoint.format !== expected.format || checkpoint.version !== 1) throw error(`Not a ${expected.family} training checkpoint (format "${expected.format}", version 1).`);
  if (JSON.stringify(checkpoint.config) !== JSON.stringify(expected.config)) throw error("The checkpoint was made with other model settings than this model's.");
}
