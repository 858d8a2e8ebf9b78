/**
 * Baum-Welch for the studio, one iteration at a time, so every completed iteration can be saved as
 * a checkpoint: cancelling, a crash or closing the studio loses at most the iteration under way, and
 * resuming continues from the last saved one. Each step runs the core trainer for exactly one more
 * iteration from the previous checkpoint; the core loop is deterministic given its parameters, so
 * the steps give exactly the parameters of one uninterrupted run (the unit tests check it).
 */
import type { HmmSettings } from '../../ipc/schemas';
import { allocateCategoricalCounts, createTypescriptEStepKernel } from '../hmm/categorical';
import { evaluateCategorical, resolveCategoricalSettings, trainCategoricalHmm } from '../hmm/categorical-train';
import { HmmSettingsError } from '../hmm/errors';
import { NOTE_PITCHES } from '../hmm/note-features';
import { evaluateNotes, resolveNoteSettings, trainNoteHmm, type NoteHmmParams } from '../hmm/note-hmm';
import {
  deserializeCategoricalHmm,
  deserializeNoteHmm,
  serializeCategoricalHmm,
  serializeNoteHmm,
  type SerializedCategoricalHmm,
  type SerializedNoteHmm,
} from '../hmm/serialize';
import type { CategoricalEStepKernel, CategoricalHmmParams, IterationRecord, StopReason, TrainingCheckpoint } from '../hmm/types';
import type { LoadedHmm } from './saved-model';
import type { HmmSequences } from './sequences';

export type SerializedHmm = SerializedCategoricalHmm | SerializedNoteHmm;

export interface StepwiseOptions {
  /** The categorical E-step (the native addon in a worker); TypeScript when absent. */
  readonly kernel?: CategoricalEStepKernel;
  /** A saved state (the model's state JSON) to continue from; null or absent starts afresh. */
  readonly resume?: unknown;
  /**
   * Called after every iteration. `state()` serialises the parameters it produced, ready to store:
   * it is a function because a fast model finishes many iterations a second, and the caller
   * decides how often a checkpoint is worth its serialisation and its write. `atEnd` is true for the
   * last iteration of a run that converged or reached its maximum.
   */
  readonly onCheckpoint?: (checkpoint: { readonly record: IterationRecord; readonly state: () => SerializedHmm; readonly atEnd: boolean }) => void;
  /** Checked before every iteration; true stops with stopReason 'stopped'. */
  readonly shouldStop?: () => boolean;
}

export interface StepwiseResult {
  readonly stopReason: StopReason;
  readonly iterations: number;
  readonly history: readonly IterationRecord[];
  /** The trained model; null when it stopped before its first iteration. */
  readonly model: LoadedHmm | null;
  readonly state: SerializedHmm | null;
}

/** One iteration more of a model: the core trainer, limited to `target` iterations in all. */
interface Stepper<P> {
  step(resume: TrainingCheckpoint<P> | undefined, target: number): TrainingCheckpoint<P> & { stopReason: StopReason };
  serialize(checkpoint: TrainingCheckpoint<P>, stopReason: StopReason | null): SerializedHmm;
  loaded(params: P): LoadedHmm;
}

export function trainStepwise(sequences: HmmSequences, settings: HmmSettings, options: StepwiseOptions = {}): StepwiseResult {
  if (sequences.representation !== settings.representation) {
    throw new HmmSettingsError(`The sequences are of the ${sequences.representation} representation, the settings ask for ${settings.representation}.`);
  }
  const common = { nStates: settings.states, tolerance: settings.tolerance, seed: settings.seed };
  if (sequences.kind === 'note') {
    if (settings.init === 'unigram') throw new HmmSettingsError('The note representation starts from random or k-means, not unigram.');
    const init = settings.init;
    const noteSettings = { ...common, nPitches: NOTE_PITCHES, init };
    const saved = resolveNoteSettings({ ...noteSettings, maxIterations: settings.maxIterations });
    const resume = options.resume === undefined || options.resume === null ? undefined : deserializeNoteHmm(options.resume);
    return runSteps<NoteHmmParams>(settings.maxIterations, resume, options, {
      step: (from, target) => trainNoteHmm(sequences.data, { ...noteSettings, maxIterations: target }, { resume: from }),
      serialize: (checkpoint, stopReason) =>
        serializeNoteHmm({ ...checkpoint, stopReason: stopReason ?? undefined, settings: saved }),
      loaded: (params) => ({ kind: 'note', params }),
    });
  }
  const kernel = options.kernel ?? createTypescriptEStepKernel();
  const categoricalSettings = { ...common, nSymbols: sequences.nSymbols, init: settings.init };
  const saved = resolveCategoricalSettings({ ...categoricalSettings, maxIterations: settings.maxIterations });
  const resume = options.resume === undefined || options.resume === null ? undefined : deserializeCategoricalHmm(options.resume);
  return runSteps<CategoricalHmmParams>(settings.maxIterations, resume, options, {
    step: (from, target) => trainCategoricalHmm(sequences.data, { ...categoricalSettings, maxIterations: target }, { kernel, resume: from }),
    serialize: (checkpoint, stopReason) =>
      serializeCategoricalHmm({ ...checkpoint, stopReason: stopReason ?? undefined, settings: saved }),
    loaded: (params) => ({ kind: 'categorical', params }),
  });
}

function runSteps<P>(maxIterations: number, resume: TrainingCheckpoint<P> | undefined, options: StepwiseOptions, stepper: Stepper<P>): StepwiseResult {
  let checkpoint: TrainingCheckpoint<P> | undefined = resume ? { params: resume.params, iterationsCompleted: resume.iterationsCompleted, history: resume.history } : undefined;
  let stopReason: StopReason = 'max-iterations';
  while ((checkpoint?.iterationsCompleted ?? 0) < maxIterations) {
    if (options.shouldStop?.()) {
      stopReason = 'stopped';
      break;
    }
    const next = stepper.step(checkpoint, (checkpoint?.iterationsCompleted ?? 0) + 1);
    checkpoint = { params: next.params, iterationsCompleted: next.iterationsCompleted, history: next.history };
    const record = next.history[next.history.length - 1]!;
    const converged = next.stopReason === 'converged';
    const atEnd = converged || next.iterationsCompleted >= maxIterations;
    const reached = checkpoint;
    options.onCheckpoint?.({ record, atEnd, state: () => stepper.serialize(reached, atEnd ? (converged ? 'converged' : 'max-iterations') : null) });
    if (converged) {
      stopReason = 'converged';
      break;
    }
  }
  return {
    stopReason,
    iterations: checkpoint?.iterationsCompleted ?? 0,
    history: checkpoint?.history ?? [],
    model: checkpoint ? stepper.loaded(checkpoint.params) : null,
    state: checkpoint ? stepper.serialize(checkpoint, stopReason) : null,
  };
}

/**
 * Held-out log-likelihood per token (nats) of a trained model on other sequences, e.g. the
 * validation split. With a kernel, its E-step gives the likelihood (the native one is faster).
 */
export function heldOutPerToken(model: LoadedHmm, sequences: HmmSequences, kernel?: CategoricalEStepKernel): number {
  if (model.kind === 'note') {
    if (sequences.kind !== 'note') throw new HmmSettingsError('A note HMM is evaluated on note sequences.');
    return evaluateNotes(model.params, sequences.data).perToken;
  }
  if (sequences.kind !== 'categorical') throw new HmmSettingsError('A categorical HMM is evaluated on token sequences.');
  if (!kernel) return evaluateCategorical(model.params, sequences.data).perToken;
  const counts = allocateCategoricalCounts(model.params.nStates, model.params.nSymbols);
  return kernel.eStep(model.params, sequences.data, counts) / sequences.data.symbols.length;
}
