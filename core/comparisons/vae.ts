/**
 * A VAE's part of a comparison: its held-out score on the reference split is the ELBO bound per
 * token (the pieces cut into the model's segments as training cuts them; −ELBO per token is an UPPER
 * bound on the NLL, so the row says nllIsBound), one z drawn per segment from a fixed stream so a
 * rerun gives the same figure; with no segment to cut there is no figure. Samples are decoded from
 * the prior at temperature 1 (models.generate's default), as many segments back to back as fill the
 * comparison's length (at least one).
 */
import type { NeuralOps, Tf } from '../models/neural/ops';
import { lengthInSteps } from '../models/polyphonic/clips';
import { segmentSteps } from '../models/vae/config';
import { VaeError } from '../models/vae/errors';
import { VaeModel } from '../models/vae/model';
import { segmentCorpus } from '../models/vae/segments';
import { deserializeVaeModel, type SerializedVaeModel } from '../models/vae/serialize';
import { tokensToPiece } from '../models/vae/tokens';
import { scoreSegments } from '../models/vae/train';
import { sampleVae } from '../models/vae/uses';
import type { Piece } from '../music/types';
import type { CompareInput } from './jobs';

/** The stream the held-out bound draws its z from (any fixed seed: the figure is reproducible). */
const BOUND_SEED = 1;

export interface VaeComparedRun {
  /** Minus the −ELBO per token: a lower bound on the log-likelihood per token. */
  readonly logLikelihoodPerToken: number | null;
  sample(index: number, seed: number): Piece;
}

export function prepareVaeRun(serialized: SerializedVaeModel, input: CompareInput, runtime: { readonly tf: Tf; readonly ops: NeuralOps }): VaeComparedRun {
  const weights = deserializeVaeModel(serialized);
  const { config } = weights;
  const tokens = segmentSteps(config);
  let segments: (readonly number[])[] = [];
  try {
    segments = segmentCorpus(input.reference, config).segments.map((segment) => segment.tokens);
  } catch (error) {
    if (!(error instanceof VaeError)) throw error;
  }
  let logLikelihoodPerToken: number | null = null;
  if (segments.length > 0) {
    const model = new VaeModel(runtime.tf, runtime.ops, config);
    try {
      model.setWeights(weights.weights);
      const scores = scoreSegments(model, segments, BOUND_SEED);
      logLikelihoodPerToken = -(scores.reconstruction + scores.kl) / (segments.length * tokens);
    } finally {
      model.dispose();
    }
  }
  const count = Math.max(1, Math.ceil(lengthInSteps(input.length, config.stepsPerQuarter) / tokens));
  const raw = runtime.ops.raw;
  return {
    logLikelihoodPerToken,
    sample(index, seed) {
      const items = sampleVae(weights, count, { seed, temperature: 1, raw });
      return tokensToPiece(
        items.map((item) => item.tokens),
        config,
        { name: `Sample ${index + 1}`, tempos: [{ ticks: 0, bpm: input.tempoBpm }] },
      );
    },
  };
}
