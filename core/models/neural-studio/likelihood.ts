/**
 * What a model's held-out log-likelihood per token measures, so the views and the comparison can
 * say it (and only compare like with like): the same number means different things per family.
 */
import type { ModelFamily, ModelRepresentation } from '../../ipc/schemas';

export interface LikelihoodMeaning {
  /** Short unit for a figure, e.g. "nats/event". */
  readonly unit: string;
  /** One sentence for a tooltip. */
  readonly description: string;
  /** Whether exp(−LL) is a perplexity (a probability over discrete choices, not a density). */
  readonly perplexity: boolean;
  /** Models whose numbers are on the same scale share a key: "event@4" (event tokens at 4 steps a quarter). */
  readonly comparableKey: string;
}

export function likelihoodMeaning(family: ModelFamily, representation: ModelRepresentation, resolution?: number): LikelihoodMeaning {
  if (family === 'lstm') {
    return {
      unit: 'nats/note (pitch)',
      description: 'Log-likelihood of each note’s pitch (its pitch head’s cross-entropy, negated) per predicted note of the validation split; step, duration and velocity are values, not probabilities.',
      perplexity: true,
      comparableKey: 'note-pitch',
    };
  }
  if (family === 'transformer' || representation === 'event') {
    return {
      unit: 'nats/event',
      description: 'Log-likelihood per event token of the validation split (note-on, note-off, time-shift, velocity), every token scored once; comparable with an event HMM at the same resolution.',
      perplexity: true,
      comparableKey: `event@${resolution ?? '?'}`,
    };
  }
  if (representation === 'pitch') {
    return { unit: 'nats/step', description: 'Log-likelihood per grid step of the pitch representation on the validation split.', perplexity: true, comparableKey: `pitch@${resolution ?? '?'}` };
  }
  return {
    unit: 'nats/note',
    description: 'Log-likelihood per note of the validation split; its duration, step and velocity are Gaussian densities, so it is no probability.',
    perplexity: false,
    comparableKey: 'note-density',
  };
}
