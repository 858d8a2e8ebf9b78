/** The pieces table's columns, filtering and sorting, kept apart from React so they are tested alone. */
import type { PieceSummary, SplitCounts } from '../../../../core/ipc/schemas';
import { formatBpm, formatClock, formatCount } from '../../lib/format';

export type PieceColumnKey = 'relativePath' | 'split' | 'trackCount' | 'noteCount' | 'durationSeconds' | 'initialBpm' | 'initialTimeSignature';

export interface PieceColumn {
  readonly key: PieceColumnKey;
  readonly label: string;
  /** Width in px; the path column takes what is left. */
  readonly width: number | null;
  readonly numeric: boolean;
  readonly format: (piece: PieceSummary) => string;
}

export const PIECE_COLUMNS: readonly PieceColumn[] = [
  { key: 'relativePath', label: 'Path', width: null, numeric: false, format: (p) => p.relativePath },
  { key: 'split', label: 'Split', width: 72, numeric: false, format: (p) => p.split ?? '—' },
  { key: 'trackCount', label: 'Tracks', width: 64, numeric: true, format: (p) => formatCount(p.trackCount) },
  { key: 'noteCount', label: 'Notes', width: 76, numeric: true, format: (p) => formatCount(p.noteCount) },
  { key: 'durationSeconds', label: 'Duration', width: 84, numeric: true, format: (p) => formatClock(p.durationSeconds) },
  { key: 'initialBpm', label: 'Tempo', width: 68, numeric: true, format: (p) => formatBpm(p.initialBpm) },
  { key: 'initialTimeSignature', label: 'Meter', width: 64, numeric: true, format: (p) => p.initialTimeSignature },
];

export interface PieceSort {
  readonly key: PieceColumnKey;
  readonly direction: 'ascending' | 'descending';
}

export const DEFAULT_SORT: PieceSort = { key: 'relativePath', direction: 'ascending' };

const SPLIT_ORDER = { train: 0, valid: 1, test: 2 } as const;
const pathCollator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

function meterValue(signature: string): number {
  const [numerator, denominator] = signature.split('/').map(Number);
  return numerator !== undefined && denominator ? numerator / denominator + numerator / 1000 : 0;
}

function compareBy(key: PieceColumnKey, a: PieceSummary, b: PieceSummary): number {
  switch (key) {
    case 'relativePath':
      return pathCollator.compare(a.relativePath, b.relativePath);
    case 'split':
      return (a.split === null ? 3 : SPLIT_ORDER[a.split]) - (b.split === null ? 3 : SPLIT_ORDER[b.split]);
    case 'initialTimeSignature':
      return meterValue(a.initialTimeSignature) - meterValue(b.initialTimeSignature);
    default:
      return a[key] - b[key];
  }
}

/** Case-insensitive match of every word of `query` against path and split. */
export function filterPieces(pieces: readonly PieceSummary[], query: string): readonly PieceSummary[] {
  const words = query.toLowerCase().split(/\s+/).filter((word) => word !== '');
  if (words.length === 0) return pieces;
  return pieces.filter((piece) => {
    const text = `${piece.relativePath} ${piece.split ?? ''}`.toLowerCase();
    return words.every((word) => text.includes(word));
  });
}

/** A stable sort; ties fall back to the path so the order never jumps on refresh. */
export function sortPieces(pieces: readonly PieceSummary[], sort: PieceSort): readonly PieceSummary[] {
  const sign = sort.direction === 'ascending' ? 1 : -1;
  return [...pieces].sort((a, b) => sign * compareBy(sort.key, a, b) || compareBy('relativePath', a, b) || a.id - b.id);
}

export function nextSort(current: PieceSort, key: PieceColumnKey): PieceSort {
  if (current.key !== key) return { key, direction: 'ascending' };
  return { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
}

export interface CorpusSplitCount {
  readonly split: string;
  readonly pieces: number;
}

/** Pieces per split in train/valid/test order, then unsplit ones. */
export function splitCounts(pieces: readonly PieceSummary[]): readonly CorpusSplitCount[] {
  const counts = new Map<string, number>();
  for (const piece of pieces) {
    const split = piece.split ?? 'none';
    counts.set(split, (counts.get(split) ?? 0) + 1);
  }
  const order = ['train', 'valid', 'test', 'none'];
  return order.filter((split) => counts.has(split)).map((split) => ({ split, pieces: counts.get(split)! }));
}

/** The same from corpora.splits: the splits that have pieces, in train/valid/test/none order. */
export function splitCountsFromServer(counts: SplitCounts): readonly CorpusSplitCount[] {
  return (['train', 'valid', 'test', 'none'] as const).filter((split) => counts[split] > 0).map((split) => ({ split, pieces: counts[split] }));
}
