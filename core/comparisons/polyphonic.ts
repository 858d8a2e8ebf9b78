/**
 * A polyphonic model's part of a comparison: its held-out frame NLL on the reference split (the
 * pieces as frames at its resolution, over its range, scored by the engine's model with the kept
 * weights, as training scores its validation split; pieces with a note outside the trained range
 * cannot be scored and are left out, and with none left there is no figure), and samples made as
 * models.generate makes a polyphonic continuation from nothing: temperature 1, the comparison's
 * length in grid steps (bars of 4/4), one track.
 */
import type { NeuralOps, Tf } from '../models/neural/ops';
import { lengthInSteps } from '../models/polyphonic/clips';
import { PolyphonicModel } from '../models/polyphonic/model';
import type { NadeLossFunction } from '../models/polyphonic/nade';
import { framesOfPieces, keptWeightsOfCheckpoint, modelOfCheckpoint, polyphonicKindLabel, readPolyphonicCheckpoint } from '../models/polyphonic/studio';
import { frameNll } from '../models/polyphonic/train';
import { continueRoll } from '../models/polyphonic/uses';
import { decodePianoRoll } from '../music/representations/pianoroll';
import type { Piece } from '../music/types';
import type { CompareInput, ComparePolyphonicInput } from './jobs';

export interface PolyphonicRuntime {
  readonly tf: Tf;
  readonly ops: NeuralOps;
  /** The native NADE loss, when the worker has it (else the TypeScript loops). */
  readonly nadeLoss?: NadeLossFunction;
}

export interface PolyphonicComparedRun {
  readonly logLikelihoodPerToken: number | null;
  sample(index: number, seed: number): Piece;
}

/** The reference split's mean log-likelihood per frame under the model (nats), or null when no piece fits its range. */
function heldOutPerFrame(model: ComparePolyphonicInput, input: CompareInput, runtime: PolyphonicRuntime): number | null {
  const checkpoint = readPolyphonicCheckpoint(model.state);
  const { frames } = framesOfPieces(input.reference, checkpoint.config.range, checkpoint.config.resolution);
  if (!frames.some((piece) => piece.steps > 0)) return null;
  const net = new PolyphonicModel(runtime.tf, runtime.ops, checkpoint.config, { nadeLoss: runtime.nadeLoss });
  try {
    net.setWeights(keptWeightsOfCheckpoint(checkpoint));
    return -frameNll(net, frames);
  } finally {
    net.dispose();
  }
}

export function preparePolyphonicRun(model: ComparePolyphonicInput, input: CompareInput, runtime: PolyphonicRuntime): PolyphonicComparedRun {
  const logLikelihoodPerToken = heldOutPerFrame(model, input, runtime);
  const weights = modelOfCheckpoint(readPolyphonicCheckpoint(model.state));
  const { resolution } = weights.config;
  const steps = lengthInSteps(input.length, resolution);
  const nothing = { steps: 0, resolution, mode: 'binary' as const, data: new Uint8Array(0), onsets: null };
  const trackName = polyphonicKindLabel(weights.config.kind);
  return {
    logLikelihoodPerToken,
    sample(index, seed) {
      const [variation] = continueRoll(weights, nothing, steps, { seed, temperature: 1 });
      return decodePianoRoll(variation!.roll, { name: `Sample ${index + 1}`, tempos: [{ ticks: 0, bpm: input.tempoBpm }], trackName, velocity: 80 });
    },
  };
}
