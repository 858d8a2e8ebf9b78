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
  if (family === 'polyphonic' || representation === 'pianoroll') {
    return {
      unit: 'nats/frame',
      description:
        'Log-likelihood per piano-roll frame (one grid step) of the validation split: the probability of the whole set of pitches sounding at each step given the steps before, exact for the RNN-NADE (a joint over simultaneous notes) and for its independent-Bernoulli baseline. Shown as the frame NLL (its negation); comparable only with polyphonic models at the same resolution.',
      perplexity: true,
      comparableKey: `pianoroll@${resolution ?? '?'}`,
    };
  }
  if (family === 'vae' || representation === 'melody') {
    return {
      unit: 'nats/step (bound)',
      description:
        'A BOUND, not the likelihood: minus the held-out −ELBO (reconstruction + KL) per melody token (one grid step of the segment: rest, hold or a note-on) of the validation split’s segments. The true log-likelihood is at least this; comparable only with VAEs of the same segment grid.',
      perplexity: true,
      comparableKey: `melody@${resolution ?? '?'}`,
    };
  }
  if (family === 'lstm' || family === 'rl') {
    return {
      unit: 'nats/note (pitch)',
      description:
        'Log-likelihood of each note’s pitch (its pitch head’s cross-entropy, negated) per predicted note of the validation split; step, duration and velocity are values, not probabilities. An RL-tuned model is scored as the LSTM its policy is.',
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
