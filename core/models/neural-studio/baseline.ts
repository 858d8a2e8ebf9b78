/**
 * The unigram baseline of the LSTM's loss: a model with no context, which predicts every note's
 * pitch from the train split's pitch frequencies (add-one smoothed) and its step, duration and
 * velocity as the train split's means. A trained LSTM is worth its cost when its validation loss is
 * clearly below this one's on the same windows.
 */
import { windowStarts, type NoteStepSet } from '../neural/note-step-data';
import { PITCH_CLASSES } from '../neural/note-windows';

export interface NoteLossParts {
  readonly total: number;
  readonly pitch: number;
  readonly step: number;
  readonly duration: number;
  readonly velocity: number;
}

export interface LossWeights {
  readonly pitch: number;
  readonly step: number;
  readonly duration: number;
  readonly velocity?: number;
}

/** The baseline's loss on `valid`'s windows of `windowLength` notes (the notes an LSTM is scored on). */
export function unigramNoteLoss(train: NoteStepSet, valid: NoteStepSet, windowLength: number, weights: LossWeights): NoteLossParts {
  const counts = new Float64Array(PITCH_CLASSES).fill(1);
  let step = 0;
  let duration = 0;
  let velocity = 0;
  const n = train.pitch.length;
  for (let k = 0; k < n; k++) {
    counts[train.pitch[k]!] = counts[train.pitch[k]!]! + 1;
    step += train.step[k]!;
    duration += train.duration[k]!;
    velocity += train.velocity[k]!;
  }
  const total = n + PITCH_CLASSES;
  step /= n;
  duration /= n;
  velocity /= n;
  const starts = windowStarts(valid, windowLength);
  const parts = { pitch: 0, step: 0, duration: 0, velocity: 0 };
  for (const start of starts) {
    const label = start + windowLength;
    parts.pitch += -Math.log(counts[valid.pitch[label]!]! / total);
    parts.step += (valid.step[label]! - step) ** 2;
    parts.duration += (valid.duration[label]! - duration) ** 2;
    parts.velocity += (valid.velocity[label]! - velocity) ** 2;
  }
  const m = starts.length;
  const mean = { pitch: parts.pitch / m, step: parts.step / m, duration: parts.duration / m, velocity: parts.velocity / m };
  return {
    ...mean,
    total: weights.pitch * mean.pitch + weights.step * mean.step + weights.duration * mean.duration + (weights.velocity ?? 0) * mean.velocity,
  };
}
