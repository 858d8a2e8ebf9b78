/**
 * Tallies of A/B listening. Each recorded preference is a pair of samples with the model that made
 * each side; every side gets its own outcome: the preferred side a win, the other a loss, both a tie
 * for "same". Two samples of one model are allowed (is the model consistent?): that model then gets
 * the win and the loss, or two ties, which leaves its balance of wins over losses as it was.
 */

export type PreferenceChoice = 'a' | 'b' | 'same';

export interface RecordedPreference {
  readonly modelA: number;
  readonly modelB: number;
  readonly preferred: PreferenceChoice;
}

export interface PreferenceTally {
  readonly modelId: number;
  readonly wins: number;
  readonly losses: number;
  readonly ties: number;
}

/** One tally per model of `modelIds`, in that order (zeros for a model never heard). */
export function tallyPreferences(modelIds: readonly number[], preferences: readonly RecordedPreference[]): PreferenceTally[] {
  const tallies = new Map(modelIds.map((modelId) => [modelId, { modelId, wins: 0, losses: 0, ties: 0 }]));
  const side = (modelId: number, outcome: 'wins' | 'losses' | 'ties'): void => {
    const tally = tallies.get(modelId);
    if (tally) tally[outcome]++;
  };
  for (const { modelA, modelB, preferred } of preferences) {
    if (preferred === 'same') {
      side(modelA, 'ties');
      side(modelB, 'ties');
    } else {
      side(preferred === 'a' ? modelA : modelB, 'wins');
      side(preferred === 'a' ? modelB : modelA, 'losses');
    }
  }
  return [...tallies.values()];
}
