/**
 * The Baum-Welch loop shared by every HMM: iterate E-step + M-step, record the history, stop on
 * convergence (relative change of the log-likelihood below the tolerance), at maxIterations, or
 * when asked to (a cancelled job). Iteration k evaluates the parameters it starts from (the
 * log-likelihood recorded for k) and ends with the M-step's new parameters, so a checkpoint taken
 * after k iterations resumes to exactly the same result as an uninterrupted run.
 */
import { HmmTrainingError } from './errors';
import type { IterationRecord, StopReason, TrainingCheckpoint, TrainingHooks, TrainingResult } from './types';

export interface EmProblem<P> {
  readonly start: TrainingCheckpoint<P>;
  readonly maxIterations: number;
  readonly tolerance: number;
  /** Number of training observations, for the per-token log-likelihood. */
  readonly tokens: number;
  /** One E-step + M-step: the log-likelihood of `params` and the re-estimated parameters. */
  iterate(params: P): { logLikelihood: number; next: P };
}

const now = (): number => Date.now();

export function runEm<P>(problem: EmProblem<P>, hooks: TrainingHooks = {}): TrainingResult<P> {
  let params = problem.start.params;
  let completed = problem.start.iterationsCompleted;
  const history: IterationRecord[] = [...problem.start.history];
  let stopReason: StopReason = 'max-iterations';

  while (completed < problem.maxIterations) {
    if (hooks.shouldStop?.()) {
      stopReason = 'stopped';
      break;
    }
    const began = now();
    const { logLikelihood, next } = problem.iterate(params);
    if (!Number.isFinite(logLikelihood)) {
      throw new HmmTrainingError(
        `Iteration ${completed + 1}: the training data has log-likelihood ${logLikelihood} under the current parameters ` +
          '(some sequence is impossible); use a positive pseudo-count.',
      );
    }
    const previous = history[history.length - 1];
    const relativeChange = previous ? Math.abs(logLikelihood - previous.logLikelihood) / Math.max(Math.abs(previous.logLikelihood), 1e-300) : null;
    params = next;
    completed += 1;
    const record: IterationRecord = {
      iteration: completed,
      logLikelihood,
      perToken: logLikelihood / problem.tokens,
      relativeChange,
      seconds: (now() - began) / 1000,
    };
    history.push(record);
    hooks.onIteration?.(record);
    if (relativeChange !== null && relativeChange < problem.tolerance) {
      stopReason = 'converged';
      break;
    }
  }
  return { params, iterationsCompleted: completed, history, stopReason };
}
