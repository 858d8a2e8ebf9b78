/**
 * A/B listening apart from React: the samples a comparison made, drawing a pair (two different
 * samples, from two different models whenever there are two, in a random order so that "A" says
 * nothing about the model), what each side is called in blind and open mode, and the preference
 * tallies as rows. `random` is injected so the tests pin the draws.
 */
import type { Comparison } from '../../../../core/ipc/schemas';
import { modelColour } from './compare-model';

export interface Sample {
  readonly clipId: number;
  readonly modelId: number;
  readonly modelName: string;
  /** 1-based: sample k was generated with the comparison's seed + k − 1. */
  readonly number: number;
  readonly colour: string;
}

export interface AbPair {
  readonly a: Sample;
  readonly b: Sample;
}

export type Side = 'a' | 'b';
export type Preference = 'a' | 'b' | 'same';

/** Every sample of the comparison, model by model in the comparison's order. */
export function samplesOf(comparison: Pick<Comparison, 'modelIds' | 'results'>): Sample[] {
  const models = comparison.results?.models ?? [];
  return models.flatMap((model, index) => {
    const position = comparison.modelIds.indexOf(model.modelId);
    return model.clipIds.map((clipId, k) => ({
      clipId,
      modelId: model.modelId,
      modelName: model.modelName,
      number: k + 1,
      colour: modelColour(position === -1 ? index : position),
    }));
  });
}

function pick<T>(items: readonly T[], random: () => number): T {
  const index = Math.min(items.length - 1, Math.floor(random() * items.length));
  return items[Math.max(0, index)]!;
}

/**
 * A random pair: two models drawn at random (when at least two have samples), a random sample of
 * each, and a coin toss for which is A. With one model, two different samples of it. Null when
 * there are fewer than two samples. `avoid` (the pair just heard) is not drawn again when another
 * pair exists.
 */
export function randomPair(samples: readonly Sample[], random: () => number = Math.random, avoid: AbPair | null = null): AbPair | null {
  if (samples.length < 2) return null;
  const modelIds = [...new Set(samples.map((sample) => sample.modelId))];
  const sameAsAvoided = (first: Sample, second: Sample): boolean =>
    avoid !== null && ((avoid.a.clipId === first.clipId && avoid.b.clipId === second.clipId) || (avoid.a.clipId === second.clipId && avoid.b.clipId === first.clipId));
  const pairs = samples.length * (samples.length - 1);
  // A few tries are enough to avoid repeating the last pair; with one possible pair it repeats.
  for (let attempt = 0; attempt < 8; attempt++) {
    let first: Sample;
    let second: Sample;
    if (modelIds.length >= 2) {
      const firstModel = pick(modelIds, random);
      const secondModel = pick(
        modelIds.filter((modelId) => modelId !== firstModel),
        random,
      );
      first = pick(
        samples.filter((sample) => sample.modelId === firstModel),
        random,
      );
      second = pick(
        samples.filter((sample) => sample.modelId === secondModel),
        random,
      );
    } else {
      first = pick(samples, random);
      second = pick(
        samples.filter((sample) => sample.clipId !== first.clipId),
        random,
      );
    }
    if (sameAsAvoided(first, second) && pairs > 2 && attempt < 7) continue;
    return random() < 0.5 ? { a: first, b: second } : { a: second, b: first };
  }
  return null;
}

/** "A" or "B" while blind and before the choice; otherwise the model and sample. */
export function sideLabel(sample: Sample, side: Side, hidden: boolean): string {
  return hidden ? side.toUpperCase() : `${sample.modelName} · sample ${sample.number}`;
}

/** The sentence shown once a preference is recorded, naming both sides. */
export function describeOutcome(pair: AbPair, preference: Preference): string {
  const a = `${pair.a.modelName} · sample ${pair.a.number}`;
  const b = `${pair.b.modelName} · sample ${pair.b.number}`;
  if (preference === 'same') return `No preference between A (${a}) and B (${b}).`;
  const [chosen, other] = preference === 'a' ? [`A (${a})`, `B (${b})`] : [`B (${b})`, `A (${a})`];
  return `You preferred ${chosen} over ${other}.`;
}

export interface TallyRow {
  readonly modelId: number;
  readonly name: string;
  readonly colour: string;
  readonly wins: number;
  readonly losses: number;
  readonly ties: number;
  readonly judged: number;
  /** (wins + ties / 2) / judged: the share of its comparisons a model "won"; null before any. */
  readonly score: number | null;
}

/** The tallies of a comparison, one row per model in its order (names from its results). */
export function tallyRows(comparison: Pick<Comparison, 'modelIds' | 'results' | 'preferences'>): TallyRow[] {
  const names = new Map((comparison.results?.models ?? []).map((model) => [model.modelId, model.modelName] as const));
  return comparison.modelIds.map((modelId, index) => {
    const tally = comparison.preferences.find((entry) => entry.modelId === modelId) ?? { wins: 0, losses: 0, ties: 0 };
    const judged = tally.wins + tally.losses + tally.ties;
    return {
      modelId,
      name: names.get(modelId) ?? `Model ${modelId}`,
      colour: modelColour(index),
      wins: tally.wins,
      losses: tally.losses,
      ties: tally.ties,
      judged,
      score: judged === 0 ? null : (tally.wins + tally.ties / 2) / judged,
    };
  });
}

/** How many preferences were recorded (each touches two tallies, or one twice for a model against itself). */
export function preferencesRecorded(rows: readonly TallyRow[]): number {
  return rows.reduce((sum, row) => sum + row.judged, 0) / 2;
}
