/**
 * The likelihood columns of a comparison. An HMM's held-out log-likelihood is exact (the forward
 * algorithm), so it is never a bound. Over discrete tokens (pitch, event) the negative log-likelihood
 * per token is a cross-entropy and exp of it a perplexity, the number of equally likely choices the
 * model is as unsure as; the note HMM's likelihood is a density of continuous features (durations,
 * steps), which can exceed 1, so its "perplexity" would mean nothing and is left out.
 */

export interface LikelihoodFigures {
  readonly nllPerToken: number | null;
  readonly perplexity: number | null;
  readonly nllIsBound: boolean;
  readonly discrete: boolean;
}

/** Whether a representation's likelihood is a probability of discrete tokens. */
export function isDiscreteRepresentation(representation: string): boolean {
  return representation === 'pitch' || representation === 'event';
}

/** From a held-out log-likelihood per token (nats) to the comparison's columns. */
export function likelihoodFigures(representation: string, logLikelihoodPerToken: number | null): LikelihoodFigures {
  const discrete = isDiscreteRepresentation(representation);
  if (logLikelihoodPerToken === null || !Number.isFinite(logLikelihoodPerToken)) {
    return { nllPerToken: null, perplexity: null, nllIsBound: false, discrete };
  }
  const nllPerToken = -logLikelihoodPerToken;
  const perplexity = discrete ? Math.exp(nllPerToken) : null;
  return { nllPerToken, perplexity: perplexity !== null && Number.isFinite(perplexity) ? perplexity : null, nllIsBound: false, discrete };
}
