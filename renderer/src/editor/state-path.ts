/**
 * The hidden-state path of an HMM under the open clip (models.viterbi: one state per token, with the
 * tick where the token starts), as coloured segments for the states lane under the piano roll. Pure.
 */
import type { ModelSummary } from '../../../core/ipc/schemas';

export interface StateSegment {
  readonly state: number;
  readonly startTicks: number;
  readonly endTicks: number;
}

export interface StatePath {
  readonly states: readonly number[];
  readonly ticks: readonly number[];
}

/**
 * Runs of one state as segments: a token lasts until the next token starts (the last one until
 * `endTicks`, or one average token when that is not after it). Several tokens at one tick (the
 * event representation's note-ons of a chord) are a zero-length run: the later one at a tick wins.
 */
export function stateSegments(path: StatePath, endTicks: number): StateSegment[] {
  const { states, ticks } = path;
  if (states.length !== ticks.length) throw new RangeError(`A state path has one tick per state (got ${states.length} states and ${ticks.length} ticks).`);
  const segments: StateSegment[] = [];
  const count = states.length;
  if (count === 0) return segments;
  const span = ticks[count - 1]! - ticks[0]!;
  const typical = count > 1 ? Math.max(1, span / (count - 1)) : 1;
  const finalEnd = endTicks > ticks[count - 1]! ? endTicks : ticks[count - 1]! + typical;
  for (let index = 0; index < count; index++) {
    const state = states[index]!;
    const start = ticks[index]!;
    const end = index + 1 < count ? ticks[index + 1]! : finalEnd;
    if (end <= start) continue;
    const last = segments[segments.length - 1];
    if (last && last.state === state && last.endTicks === start) segments[segments.length - 1] = { ...last, endTicks: end };
    else segments.push({ state, startTicks: start, endTicks: end });
  }
  return segments;
}

/** The segment under a tick (binary search over sorted segments), or null. */
export function segmentAt(segments: readonly StateSegment[], ticks: number): StateSegment | null {
  let low = 0;
  let high = segments.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const segment = segments[middle]!;
    if (ticks < segment.startTicks) high = middle - 1;
    else if (ticks >= segment.endTicks) low = middle + 1;
    else return segment;
  }
  return null;
}

/** A categorical palette (Tableau 10 and its light companions), then golden-angle hues beyond 20 states. */
const PALETTE: readonly string[] = [
  '#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac',
  '#a0cbe8', '#ffbe7d', '#ff9d9a', '#86bcb6', '#8cd17d', '#f1ce63', '#d4a6c8', '#fabfd2', '#d7b5a6', '#79706e',
];

export function stateColour(state: number): string {
  if (state < PALETTE.length) return PALETTE[state]!;
  const hue = Math.round((state * 137.508) % 360);
  return `hsl(${hue} 55% ${state % 2 === 0 ? 58 : 44}%)`;
}

/** The HMMs that can decode: trained for at least one iteration; those of `corpusId` first, then the newest. */
export function decodableModels(models: readonly ModelSummary[], corpusId: number | null): ModelSummary[] {
  return models
    .filter((model) => model.family === 'hmm' && model.iterations >= 1)
    .sort((a, b) => Number(b.corpusId === corpusId) - Number(a.corpusId === corpusId) || b.id - a.id);
}
