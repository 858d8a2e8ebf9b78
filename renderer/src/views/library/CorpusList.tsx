/** The sidebar's list of corpora: one row each with its counts; arrow keys move the selection. */
import { useRef, type KeyboardEvent } from 'react';
import type { CorpusSummary } from '../../../../core/ipc/schemas';
import { formatCount, formatHms } from '../../lib/format';
import { useModel, useStudio } from '../../state/studio-context';
import { ImportIcon, LibraryIcon } from '../../components/icons';

export function CorpusList({ onImport }: { onImport: () => void }) {
  const model = useModel();
  const corpora = useStudio((state) => state.corpora);
  const loaded = useStudio((state) => state.corporaLoaded);
  const selectedId = useStudio((state) => state.selectedCorpusId);
  const listRef = useRef<HTMLUListElement>(null);

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    const index = corpora.findIndex((corpus) => corpus.id === selectedId);
    const next = corpora[Math.min(corpora.length - 1, Math.max(0, index + (event.key === 'ArrowDown' ? 1 : -1)))];
    if (!next) return;
    model.selectCorpus(next.id);
    listRef.current?.querySelector<HTMLButtonElement>(`[data-corpus-id="${next.id}"]`)?.focus();
  };

  return (
    <aside className="sidebar" aria-label="Library">
      <div className="sidebar-header">
        <h2 className="section-title">Library</h2>
        <span className="sidebar-count">{loaded ? formatCount(corpora.length) : ''}</span>
        <button type="button" className="button button-small button-primary" onClick={onImport} data-testid="open-import">
          <ImportIcon size={14} /> Import…
        </button>
      </div>
      {loaded && corpora.length === 0 ? (
        <div className="sidebar-empty">
          <LibraryIcon size={28} />
          <p>No corpora yet.</p>
          <p className="muted">Import a folder of MIDI files, or drop one anywhere on this window.</p>
        </div>
      ) : (
        <ul className="corpus-list" ref={listRef} onKeyDown={onKeyDown} aria-label="Corpora">
          {corpora.map((corpus, index) => (
            <li key={corpus.id}>
              <CorpusRow
                corpus={corpus}
                selected={corpus.id === selectedId}
                focusable={corpus.id === selectedId || (selectedId === null && index === 0)}
                onSelect={() => model.selectCorpus(corpus.id)}
              />
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}

interface CorpusRowProps {
  readonly corpus: CorpusSummary;
  readonly selected: boolean;
  /** One row is in the tab order (roving tabindex); arrow keys move between rows. */
  readonly focusable: boolean;
  readonly onSelect: () => void;
}

function CorpusRow({ corpus, selected, focusable, onSelect }: CorpusRowProps) {
  return (
    <button
      type="button"
      className={`corpus-row${selected ? ' is-selected' : ''}`}
      aria-current={selected ? 'true' : undefined}
      data-testid="corpus-row"
      data-corpus-id={corpus.id}
      tabIndex={focusable ? 0 : -1}
      onClick={onSelect}
    >
      <span className="corpus-row-name" title={corpus.name}>
        {corpus.name}
      </span>
      <span className="corpus-row-stats">
        <span>
          <span data-testid="corpus-piece-count">{formatCount(corpus.pieceCount)}</span> {corpus.pieceCount === 1 ? 'piece' : 'pieces'}
        </span>
        <span>
          <span data-testid="corpus-note-count">{formatCount(corpus.noteCount)}</span> notes
        </span>
        <span className="corpus-row-duration">{formatHms(corpus.durationSeconds)}</span>
      </span>
    </button>
  );
}
