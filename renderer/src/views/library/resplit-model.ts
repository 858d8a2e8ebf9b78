/** The Re-split dialog's seed: what it offers first, what it accepts. Kept apart from React for tests. */
export const MAX_SPLIT_SEED = 2 ** 31 - 1;

/** The next seed after the current one, wrapping inside the range main accepts. */
export function nextSeed(current: number | null): number {
  if (current === null || !Number.isInteger(current) || current < 0 || current >= MAX_SPLIT_SEED) return 1;
  return current + 1;
}

/** A fresh seed in 0..2^31-1 from `random` (Math.random by default). */
export function randomSeed(random: () => number = Math.random): number {
  return Math.floor(random() * (MAX_SPLIT_SEED + 1)) % (MAX_SPLIT_SEED + 1);
}

/** The typed seed as a number, or the reason it cannot be used. */
export function parseSeed(text: string): { readonly seed: number } | { readonly error: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { error: 'Enter a seed.' };
  if (!/^\d+$/.test(trimmed)) return { error: 'A seed is a whole number ≥ 0.' };
  const seed = Number(trimmed);
  if (seed > MAX_SPLIT_SEED) return { error: `A seed is at most ${MAX_SPLIT_SEED.toLocaleString('en-US')}.` };
  return { seed };
}
