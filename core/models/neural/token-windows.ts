/**
 * Windows over token sequences (the event representation) for a decoder-only model with a context
 * of C tokens. Each piece is read as [BOS, t0, t1, …, tn−1]: the model predicts every token of the
 * piece, the first from BOS alone, as an HMM scores the first token from its initial distribution,
 * so per-token likelihoods of the two are over the same tokens.
 *
 * A piece gives windows starting at 0, S, 2S, … (S = ⌈C/2⌉) and one ending at its end; a window's
 * inputs are C tokens from its start and its targets the C tokens after each. Scoring counts every
 * token once: a window scores only the targets after those of the window before (`scoreFrom`), so
 * every token but the first window's sees at least C − S tokens of context. Training uses every
 * target. Pieces shorter than the context give one window padded at its end (targets −1, ignored;
 * causal attention keeps the padding from reaching the real positions).
 *
 * Augmentation: transposition of note-on and note-off tokens by up to ± `transpose` semitones (so
 * far as the window's pitches stay in 0..127), per window.
 */
import type { Random } from '../hmm/random';
import { IGNORED_LABEL } from './fused-ops';

export class TokenWindowError extends Error {
  override readonly name = 'TokenWindowError';
}

/** Pieces' tokens back to back. */
export interface TokenSequenceSet {
  readonly tokens: Int32Array;
  /** Piece p is tokens offsets[p]..offsets[p+1]. */
  readonly offsets: Int32Array;
}

export interface TokenWindow {
  readonly piece: number;
  /** Where the window starts in the piece's [BOS, tokens…] sequence. */
  readonly start: number;
  /** Targets before this index within the window were scored by the window before. */
  readonly scoreFrom: number;
}

export function tokenWindows(set: TokenSequenceSet, context: number): TokenWindow[] {
  if (!Number.isInteger(context) || context < 1) throw new TokenWindowError(`The context must be a whole number ≥ 1, got ${context}.`);
  const stride = Math.max(1, Math.ceil(context / 2));
  const windows: TokenWindow[] = [];
  for (let piece = 0; piece + 1 < set.offsets.length; piece++) {
    const n = set.offsets[piece + 1]! - set.offsets[piece]!;
    if (n === 0) continue;
    if (n <= context) {
      windows.push({ piece, start: 0, scoreFrom: 0 });
      continue;
    }
    let previousEnd = -1;
    const starts: number[] = [];
    for (let start = 0; start < n - context; start += stride) starts.push(start);
    starts.push(n - context);
    for (const start of starts) {
      windows.push({ piece, start, scoreFrom: previousEnd < 0 ? 0 : previousEnd - start });
      previousEnd = start + context;
    }
  }
  if (windows.length === 0) throw new TokenWindowError('There are no tokens to learn from.');
  return windows;
}

/** Tokens scored once each over the windows (all the tokens of the pieces). */
export function scoredTokens(set: TokenSequenceSet): number {
  return set.tokens.length;
}

export interface TokenBatch {
  readonly batchSize: number;
  readonly length: number;
  /** [B·L], index b·L + t */
  readonly inputs: Int32Array;
  /** [B·L], the token after each input, −1 where nothing counts */
  readonly labels: Int32Array;
}

export function allocateTokenBatch(batchSize: number, length: number): TokenBatch {
  return { batchSize, length, inputs: new Int32Array(batchSize * length), labels: new Int32Array(batchSize * length) };
}

export interface TokenBatchOptions {
  /** The begin-of-piece token (the inputs' extra symbol). */
  readonly bos: number;
  /** true: only the targets each window scores (evaluation); false: all (training). */
  readonly scoring: boolean;
  readonly augmentation?: { readonly transpose: number; readonly random: Random };
}

const NOTE_TOKENS = 256;
const PITCHES = 128;

/** Token at index i of the piece's [BOS, tokens…], or −1 past its end. */
function extended(set: TokenSequenceSet, piece: number, index: number, bos: number): number {
  if (index === 0) return bos;
  const at = set.offsets[piece]! + index - 1;
  return at < set.offsets[piece + 1]! ? set.tokens[at]! : -1;
}

function shifted(token: number, shift: number): number {
  return token >= 0 && token < NOTE_TOKENS ? token + shift : token;
}

/** Fills `batch` with windows[indices[b]]: inputs from each start, labels one ahead. */
export function fillTokenBatch(set: TokenSequenceSet, windows: readonly TokenWindow[], indices: ArrayLike<number>, batch: TokenBatch, options: TokenBatchOptions): void {
  const { batchSize: B, length: L } = batch;
  if (indices.length < B) throw new TokenWindowError(`fillTokenBatch: ${indices.length} window indices for a batch of ${B}.`);
  for (let b = 0; b < B; b++) {
    const window = windows[indices[b]!];
    if (!window) throw new TokenWindowError(`fillTokenBatch: window ${indices[b]} does not exist (${windows.length} windows).`);
    let shift = 0;
    const augmentation = options.augmentation;
    if (augmentation && augmentation.transpose > 0) {
      let low = PITCHES;
      let high = -1;
      for (let i = 1; i <= L; i++) {
        const token = extended(set, window.piece, window.start + i, options.bos);
        if (token >= 0 && token < NOTE_TOKENS) {
          low = Math.min(low, token % PITCHES);
          high = Math.max(high, token % PITCHES);
        }
      }
      if (high >= 0) {
        const from = Math.max(-augmentation.transpose, -low);
        const to = Math.min(augmentation.transpose, PITCHES - 1 - high);
        shift = from + Math.floor(augmentation.random() * (to - from + 1));
      }
    }
    for (let t = 0; t < L; t++) {
      const input = extended(set, window.piece, window.start + t, options.bos);
      const target = extended(set, window.piece, window.start + t + 1, options.bos);
      batch.inputs[b * L + t] = input < 0 ? options.bos : shifted(input, shift);
      batch.labels[b * L + t] = target < 0 || (options.scoring && t < window.scoreFrom) ? IGNORED_LABEL : shifted(target, shift);
    }
  }
}

/** The longest piece in tokens. */
export function longestTokenPiece(set: Pick<TokenSequenceSet, 'offsets'>): number {
  let longest = 0;
  for (let p = 0; p + 1 < set.offsets.length; p++) longest = Math.max(longest, set.offsets[p + 1]! - set.offsets[p]!);
  return longest;
}
