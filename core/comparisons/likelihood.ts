/**
 * The likelihood columns of a comparison. Every family's held-out log-likelihood is exact, never a
 * bound: an HMM's by the forward algorithm, a neural model's as the sum of its softmax outputs'
 * log-probabilities. Over discrete tokens the negative log-likelihood per token is a cross-entropy
 * and exp of it a perplexity, the number of equally likely choices the model is as unsure as: an
 * HMM's pitch or event tokens, a transformer's event tokens, an LSTM's pitches (its only categorical
 * head; see likelihoodMeaning in core/models/neural-studio for which numbers share a scale). The
 * note HMM's likelihood is a density of continuous features (durations, steps), which can exceed
 * 1, so its "perplexity" would mean nothing and is left out. A polyphonic model's is per piano-roll
 * frame (grid step at its resolution): the probability of the whole set of pitches sounding there,
 * exact for the RNN-NADE (a normalised joint) and for the Bernoulli baseline (a product of
 * independent pitches); its perplexity counts equally likely frames, not notes. The one exception
 * is the VAE: its held-out figure is the ELBO's, −ELBO per melody token being an UPPER bound on the
 * NLL (nllIsBound), so exp of it bounds the perplexity from above. An RL-tuned model is scored as
 * the LSTM its policy is (the pitch of each note).
 */

export interface LikelihoodFigures {
  readonly nllPerToken: number | null;
  readonly perplexity: number | null;
  readonly nllIsBound: boolean;
  readonly discrete: boolean;
}

/** Whether a representation's likelihood is a probability of discrete tokens. */
export function isDiscreteRepresentation(representation: string): boolean {
  return representation === 'pitch' || representation === 'event' || representation === 'pianoroll';
}

/** Whether a model's likelihood is a probability of discrete tokens: the neural families' always are. */
export function isDiscreteLikelihood(representation: string, family = 'hmm'): boolean {
  return family === 'lstm' || family === 'transformer' || family === 'polyphonic' || family === 'vae' || family === 'rl' || isDiscreteRepresentation(representation);
}

/** From a held-out log-likelihood per token (nats) to the comparison's columns. */
export function likelihoodFigures(representation: string, logLikelihoodPerToken: number | null, family = 'hmm'): LikelihoodFigures {
  const discrete = isDiscreteLikelihood(representation, family);
  if (logLikelihoodPerToken === null || !Number.isFinite(logLikelihoodPerToken)) {
    return { nllPerToken: null, perplexity: null, nllIsBound: false, discrete };
  }
  const nllPerToken = -logLikelihoodPerToken;
  const perplexity = discrete ? Math.exp(nllPerToken) : null;
  return { nllPerToken, perplexity: perplexity !== null && Number.isFinite(perplexity) ? perplexity : null, nllIsBound: family === 'vae', discrete };
}
