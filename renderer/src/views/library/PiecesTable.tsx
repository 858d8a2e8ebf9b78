/**
 * The pieces of a corpus as a table that renders only the rows in view (fixed row height, spacer
 * rows above and below), so a corpus of thousands of pieces scrolls as lightly as one of ten.
 */
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { PieceSummary } from '../../../../core/ipc/schemas';
import { ExportIcon, PianoRollIcon } from '../../components/icons';
import { useWavExport, WaveIcon } from '../../export/use-wav-export';
import { virtualRange } from '../../lib/virtual-range';
import { useOpenInEditor } from '../editor/editor-context';
import { nextSort, PIECE_COLUMNS, sortPieces, type PieceSort } from './piece-table-model';

export const PIECE_ROW_HEIGHT = 26;

export interface PiecesTableProps {
  readonly pieces: readonly PieceSummary[];
  readonly sort: PieceSort;
  readonly onSortChange: (sort: PieceSort) => void;
  readonly emptyMessage: string;
  /** "Export MIDI…" on a row. */
  readonly onExport: (piece: PieceSummary) => void;
  /** Pieces whose export is running: their button waits. */
  readonly exportingIds: readonly number[];
}

export function PiecesTable({ pieces, sort, onSortChange, emptyMessage, onExport, exportingIds }: PiecesTableProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState({ scrollTop: 0, height: 0 });
  const [selectedPieceId, setSelectedPieceId] = useState<number | null>(null);
  const sorted = useMemo(() => sortPieces(pieces, sort), [pieces, sort]);
  const wav = useWavExport();
  const openInEditor = useOpenInEditor();

  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return undefined;
    const measure = () => setViewport({ scrollTop: element.scrollTop, height: element.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const range = virtualRange({
    rowCount: sorted.length,
    rowHeight: PIECE_ROW_HEIGHT,
    scrollTop: viewport.scrollTop,
    viewportHeight: viewport.height,
  });
  const visible = sorted.slice(range.start, range.end);

  return (
    <div
      className="table-scroll"
      ref={scrollRef}
      onScroll={(event) => {
        const { scrollTop, clientHeight } = event.currentTarget;
        setViewport({ scrollTop, height: clientHeight });
      }}
    >
      <table className="data-table" aria-rowcount={sorted.length + 1} data-testid="pieces-table">
        <colgroup>
          <col style={{ width: 52 }} />
          {PIECE_COLUMNS.map((column) => (
            <col key={column.key} style={column.width === null ? undefined : { width: column.width }} />
          ))}
          <col style={{ width: openInEditor ? 88 : 64 }} />
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            <th scope="col" className="numeric row-number">
              #
            </th>
            {PIECE_COLUMNS.map((column) => {
              const active = sort.key === column.key;
              return (
                <th
                  key={column.key}
                  scope="col"
                  className={column.numeric ? 'numeric' : undefined}
                  aria-sort={active ? sort.direction : 'none'}
                >
                  <button type="button" className="sort-button" onClick={() => onSortChange(nextSort(sort, column.key))}>
                    {column.label}
                    <span className={`sort-mark${active ? ' is-active' : ''}`} aria-hidden="true">
                      {active && sort.direction === 'descending' ? '▾' : '▴'}
                    </span>
                  </button>
                </th>
              );
            })}
            <th scope="col" className="row-actions">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {range.before > 0 ? <tr className="spacer" aria-hidden="true" style={{ height: range.before }} /> : null}
          {visible.map((piece, offset) => {
            const index = range.start + offset;
            return (
              <tr
                key={piece.id}
                className={piece.id === selectedPieceId ? 'is-selected' : undefined}
                aria-rowindex={index + 2}
                aria-selected={piece.id === selectedPieceId}
                data-testid="piece-row"
                onClick={() => setSelectedPieceId(piece.id)}
              >
                <td className="numeric row-number">{index + 1}</td>
                {PIECE_COLUMNS.map((column) => (
                  <td
                    key={column.key}
                    className={`${column.numeric ? 'numeric' : ''} cell-${column.key}`}
                    title={column.key === 'relativePath' ? piece.relativePath : undefined}
                  >
                    {column.key === 'split' && piece.split !== null ? (
                      <span className={`split-tag split-${piece.split}`}>{piece.split}</span>
                    ) : (
                      column.format(piece)
                    )}
                  </td>
                ))}
                <td className="row-actions">
                  {openInEditor ? (
                    <button
                      type="button"
                      className="icon-button row-action"
                      title="Open in editor (an edited copy: the imported piece is not changed)"
                      aria-label={`Open ${piece.relativePath} in the editor`}
                      onClick={(event) => {
                        event.stopPropagation();
                        setSelectedPieceId(piece.id);
                        openInEditor({ pieceId: piece.id, label: piece.relativePath });
                      }}
                      data-testid="open-in-editor"
                    >
                      <PianoRollIcon size={15} />
                    </button>
                  ) : null}
                  <button
                    type="button"
                    className="icon-button row-action"
                    title="Export MIDI…"
                    aria-label={`Export ${piece.relativePath} as MIDI…`}
                    disabled={exportingIds.includes(piece.id)}
                    onClick={(event) => {
                      event.stopPropagation();
                      setSelectedPieceId(piece.id);
                      onExport(piece);
                    }}
                    data-testid="export-midi"
                  >
                    <ExportIcon size={15} />
                  </button>
                  <button
                    type="button"
                    className="icon-button row-action"
                    title="Export WAV…"
                    aria-label={`Export ${piece.relativePath} as WAV…`}
                    disabled={wav.isExporting({ pieceId: piece.id })}
                    onClick={(event) => {
                      event.stopPropagation();
                      setSelectedPieceId(piece.id);
                      wav.start({ pieceId: piece.id }, piece.relativePath);
                    }}
                    data-testid="export-wav"
                  >
                    <WaveIcon size={15} />
                  </button>
                </td>
              </tr>
            );
          })}
          {range.after > 0 ? <tr className="spacer" aria-hidden="true" style={{ height: range.after }} /> : null}
        </tbody>
      </table>
      {sorted.length === 0 ? <p className="table-empty">{emptyMessage}</p> : null}
    </div>
  );
}
