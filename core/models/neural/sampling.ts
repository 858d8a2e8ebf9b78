/**
 * Drawing a class (a pitch, an event token) from a model's logits: temperature (0: the most likely),
 * then optionally only the k likeliest (top-k) and/or the smallest set of likeliest whose
 * probabilities add up to p (top-p, "nucleus"), renormalised. Seeded, so a seed repeats a sample.
 */
import type { Random } from '../hmm/random';

export interface SamplingOptions {
  /** 0: always the most likely; 1: as the model says; higher: flatter. */
  readonly temperature: number;
  readonly topK?: number;
  readonly topP?: number;
}

export class SamplingError extends Error {
  override readonly name = 'SamplingError';
}

function argmax(logits: ArrayLike<number>, allowed: (index: number) => boolean): number {
  let best = -1;
  for (let k = 0; k < logits.length; k++) if (allowed(k) && (best < 0 || logits[k]! > logits[best]!)) best = k;
  return best;
}

/**
 * An index drawn from softmax(logits / temperature) restricted by top-k and top-p. `allowed`
 * excludes classes the caller cannot use (e.g. a pitch out of range); at least one must remain.
 */
export function sampleLogits(logits: ArrayLike<number>, options: SamplingOptions, random: Random, allowed: (index: number) => boolean = () => true): number {
  const { temperature, topK, topP } = options;
  if (!(temperature >= 0) || !Number.isFinite(temperature)) throw new SamplingError(`The temperature must be a number ≥ 0, got ${temperature}.`);
  if (topK !== undefined && !(Number.isInteger(topK) && topK >= 1)) throw new SamplingError(`top-k must be a whole number ≥ 1, got ${topK}.`);
  if (topP !== undefined && !(topP > 0 && topP <= 1)) throw new SamplingError(`top-p must be in (0, 1], got ${topP}.`);
  if (temperature === 0) {
    const best = argmax(logits, allowed);
    if (best < 0) throw new SamplingError('No class is allowed.');
    return best;
  }
  const candidates: number[] = [];
  for (let k = 0; k < logits.length; k++) if (allowed(k) && Number.isFinite(logits[k]!)) candidates.push(k);
  if (candidates.length === 0) throw new SamplingError('No class is allowed.');
  candidates.sort((a, b) => logits[b]! - logits[a]!);
  const kept = topK === undefined ? candidates : candidates.slice(0, topK);
  const max = logits[kept[0]!]!;
  const weights = kept.map((k) => Math.exp((logits[k]! - max) / temperature));
  let total = weights.reduce((sum, weight) => sum + weight, 0);
  let count = kept.length;
  if (topP !== undefined && topP < 1) {
    // The smallest prefix (likeliest first) whose probability reaches p.
    let cumulative = 0;
    for (let k = 0; k < kept.length; k++) {
      cumulative += weights[k]! / total;
      if (cumulative >= topP) {
        count = k + 1;
        break;
      }
    }
    total = 0;
    for (let k = 0; k < count; k++) total += weights[k]!;
  }
  let target = random() * total;
  for (let k = 0; k < count; k++) {
    target -= weights[k]!;
    if (target < 0) return kept[k]!;
  }
  return kept[count - 1]!;
}
