/**
 * What train-job.ts needs from a family whose worker sends whole checkpoints (polyphonic, VAE, RL):
 * the worker's input, each checkpoint it sends in the models table's terms, and the run's end in the
 * studio's terms. Each family's *-input.ts builds one; the job itself is the same for all.
 */
import type { Checkpoint } from './model-store';

export interface TrainingOutcome {
  /** The model's held-out score at the end (null: keep the one stored with the checkpoints). */
  readonly validLogLikelihoodPerToken: number | null;
  readonly iterations: number;
  readonly stopReason: 'converged' | 'max-iterations' | 'stopped';
}

export interface CheckpointedTrainingRun {
  readonly input: unknown;
  readonly transfer: ArrayBuffer[];
  /** A message of the worker as the checkpoint to store, or null when it is none. */
  checkpointOf(data: unknown): Checkpoint | null;
  /** The worker's result (undefined: the run was cancelled) in the studio's terms. */
  outcome(result: unknown): TrainingOutcome;
}

/**
 * Training time per checkpoint: workers send the run's time so far (resumes included); the table adds
 * each difference, so this remembers the previous one (starting from the resumed checkpoint's).
 */
export function secondsCounter(secondsBefore: number): (secondsNow: number) => number {
  let previous = secondsBefore;
  return (secondsNow) => {
    const added = Math.max(0, secondsNow - previous);
    previous = secondsNow;
    return added;
  };
}
