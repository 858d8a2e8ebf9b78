/**
 * A deterministic train / valid / test split of a corpus, by piece.
 *
 * - Pieces whose folders name a split (see splits.ts: `splitFromRelativePath`) keep it.
 * - The others are ordered by a seeded hash of their key (a stable piece identity, e.g. the content
 *   hash or relative path): FNV-1a of the key, mixed with the seed through mulberry32. The first
 *   `train` share of that order goes to train, the next `valid` share to valid, the rest to test. Shares
 *   are counted with the largest-remainder method, so 10 pieces at 80/10/10 give exactly 8/1/1.
 * - The result depends only on the keys and the seed, never on their order in the input; adding a
 *   piece keeps the others' order, so only pieces next to a boundary can change split.
 * - The fractions apply to the pieces without a folder split only.
 */
import { RepresentationError } from './errors';
import { SPLIT_NAMES, type SplitName } from './types';

export { splitFromRelativePath } from './splits';

export interface SplitFractions {
  readonly train: number;
  readonly valid: number;
  readonly test: number;
}

export const DEFAULT_SPLIT_FRACTIONS: SplitFractions = { train: 0.8, valid: 0.1, test: 0.1 };

export interface SplitInput {
  readonly key: string;
  /** The split named by the piece's folders, or null to let the seed decide. */
  readonly split: SplitName | null;
}

export interface SplitAssignment {
  readonly key: string;
  readonly split: SplitName;
  /** True when the split came from the piece's folders rather than from the seed. */
  readonly fromFolder: boolean;
}

/** The split of every piece, in the input's order. */
export function assignSplits(pieces: readonly SplitInput[], seed: number, fractions: SplitFractions = DEFAULT_SPLIT_FRACTIONS): SplitAssignment[] {
  if (!Number.isInteger(seed)) throw new RepresentationError(`The split seed must be a whole number (got ${seed}).`);
  checkFractions(fractions);
  const seen = new Set<string>();
  for (const piece of pieces) {
    if (seen.has(piece.key)) throw new RepresentationError(`The piece key ${JSON.stringify(piece.key)} appears twice: each piece needs its own key to be split.`);
    seen.add(piece.key);
  }

  const free = pieces
    .filter((piece) => piece.split === null)
    .map((piece) => ({ key: piece.key, rank: seededRank(piece.key, seed) }))
    .sort((a, b) => a.rank - b.rank || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const counts = shareCounts(free.length, fractions);
  const decided = new Map<string, SplitName>();
  let position = 0;
  for (const split of SPLIT_NAMES) {
    for (let taken = 0; taken < counts[split]; taken++) decided.set(free[position++]!.key, split);
  }
  return pieces.map((piece) =>
    piece.split === null ? { key: piece.key, split: decided.get(piece.key)!, fromFolder: false } : { key: piece.key, split: piece.split, fromFolder: true },
  );
}

/** The same for keys without folder splits. */
export function assignSplitsToKeys(keys: readonly string[], seed: number, fractions: SplitFractions = DEFAULT_SPLIT_FRACTIONS): SplitAssignment[] {
  return assignSplits(
    keys.map((key) => ({ key, split: null })),
    seed,
    fractions,
  );
}

function checkFractions(fractions: SplitFractions): void {
  const values = SPLIT_NAMES.map((split) => fractions[split]);
  if (values.some((value) => !Number.isFinite(value) || value < 0)) {
    throw new RepresentationError(`Split fractions must be numbers ≥ 0 (got train ${fractions.train}, valid ${fractions.valid}, test ${fractions.test}).`);
  }
  const total = values.reduce((sum, value) => sum + value, 0);
  if (Math.abs(total - 1) > 1e-9) throw new RepresentationError(`Split fractions must add up to 1 (they add up to ${total}).`);
}

/** Largest-remainder apportionment of `total` pieces; ties go to train, then valid, then test. */
function shareCounts(total: number, fractions: SplitFractions): Record<SplitName, number> {
  const exact = SPLIT_NAMES.map((split) => ({ split, value: total * fractions[split] }));
  const counts = { train: 0, valid: 0, test: 0 };
  let assigned = 0;
  for (const { split, value } of exact) {
    counts[split] = Math.floor(value + 1e-9);
    assigned += counts[split];
  }
  const byRemainder = [...exact].sort((a, b) => b.value - Math.floor(b.value + 1e-9) - (a.value - Math.floor(a.value + 1e-9)));
  for (let index = 0; assigned < total; index++, assigned++) counts[byRemainder[index % byRemainder.length]!.split]++;
  return counts;
}

/** A number in [0, 1) that depends only on the key and the seed. */
export function seededRank(key: string, seed: number): number {
  return mulberry32(fnv1a32(key) ^ (seed >>> 0))();
}

/** FNV-1a over the UTF-16 code units of the string, 32 bits. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** mulberry32: a small, well-mixed 32-bit generator; returns numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}
