/**
 * The selected corpus: its name, totals and splits, then two tabs: its pieces (filter and table) and
 * its statistics (the analysis panel).
 */
import { useDeferredValue, useMemo, useState, type KeyboardEvent } from 'react';
import type { CorpusSummary } from '../../../../core/ipc/schemas';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ChartIcon, ImportIcon, ListIcon, ModelIcon, NoteIcon, SearchIcon, ShuffleIcon, TrashIcon } from '../../components/icons';
import { formatCount, formatHms, plural } from '../../lib/format';
import { useModel, useStudio } from '../../state/studio-context';
import type { CorpusTab, StatisticsScope } from '../../state/studio-model';
import { StatisticsPanel } from '../statistics/StatisticsPanel';
import { PiecesTable } from './PiecesTable';
import { DEFAULT_SORT, filterPieces, splitCounts, splitCountsFromServer, type PieceSort } from './piece-table-model';
import { ResplitDialog } from './ResplitDialog';

export interface CorpusViewProps {
  readonly onImport: () => void;
  /** "Train model…" on this corpus (opens the Models view's dialog). */
  readonly onTrain: (corpusId: number) => void;
}

export function CorpusView({ onImport, onTrain }: CorpusViewProps) {
  const corpora = useStudio((state) => state.corpora);
  const loaded = useStudio((state) => state.corporaLoaded);
  const selectedId = useStudio((state) => state.selectedCorpusId);
  const corpus = corpora.find((candidate) => candidate.id === selectedId);
  if (!loaded) return <div className="workspace-empty" aria-busy="true" />;
  if (!corpus) {
    return (
      <div className="workspace-empty">
        <NoteIcon size={40} />
        <h2>Start with some music</h2>
        <p className="muted">Import a folder of MIDI files (.mid, .midi, .kar, .smf). Sub-folders named train, valid and test keep their split.</p>
        <button type="button" className="button button-primary" onClick={onImport}>
          <ImportIcon size={14} /> Import MIDI…
        </button>
        <p className="muted small">or drop files and folders anywhere on this window</p>
      </div>
    );
  }
  // Keyed by corpus so the filter and sort start fresh for each corpus.
  return <CorpusDetail key={corpus.id} corpus={corpus} onImport={onImport} onTrain={() => onTrain(corpus.id)} />;
}

function CorpusDetail({ corpus, onImport, onTrain }: { corpus: CorpusSummary; onImport: () => void; onTrain: () => void }) {
  const model = useModel();
  const pieces = useStudio((state) => state.pieces);
  const serverSplits = useStudio((state) => (state.splits?.corpusId === corpus.id ? state.splits.counts : null));
  const tab = useStudio((state) => state.corpusTab);
  const exportingIds = useStudio((state) => state.exportingPieceIds);
  const allModels = useStudio((state) => state.models);
  const modelCount = useMemo(() => allModels.filter((candidate) => candidate.corpusId === corpus.id).length, [allModels, corpus.id]);
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<PieceSort>(DEFAULT_SORT);
  const [confirming, setConfirming] = useState(false);
  const [resplitting, setResplitting] = useState(false);
  const [scope, setScope] = useState<StatisticsScope>('all');
  const deferredQuery = useDeferredValue(query);
  const rows = useMemo(() => (pieces?.corpusId === corpus.id ? pieces.rows : []), [pieces, corpus.id]);
  const filtered = useMemo(() => filterPieces(rows, deferredQuery), [rows, deferredQuery]);
  const splits = useMemo(() => (serverSplits ? splitCountsFromServer(serverSplits) : splitCounts(rows)), [serverSplits, rows]);
  const loading = pieces?.corpusId !== corpus.id || !pieces.loaded;

  return (
    <section className="corpus-view" aria-label={`Corpus ${corpus.name}`}>
      <header className="corpus-header">
        <div className="corpus-title">
          <span className="eyebrow">Corpus</span>
          <h1 title={corpus.name}>{corpus.name}</h1>
          <span className="muted small">Created {corpus.createdAt.slice(0, 16).replace('T', ' ')}</span>
        </div>
        <dl className="stat-strip" data-testid="corpus-totals">
          <div className="stat">
            <dt>Pieces</dt>
            <dd>{formatCount(corpus.pieceCount)}</dd>
          </div>
          <div className="stat">
            <dt>Notes</dt>
            <dd>{formatCount(corpus.noteCount)}</dd>
          </div>
          <div className="stat">
            <dt>Duration</dt>
            <dd>{formatHms(corpus.durationSeconds)}</dd>
          </div>
          <div className="stat">
            <dt>Splits</dt>
            <dd className="split-summary" data-testid="split-counts" title={serverSplits ? `Seed ${serverSplits.seed}` : undefined}>
              {splits.length === 0 ? '—' : splits.map((s) => (
                <span key={s.split} className={`split-tag split-${s.split}`}>
                  {s.split} {formatCount(s.pieces)}
                </span>
              ))}
            </dd>
          </div>
        </dl>
        <div className="corpus-actions">
          <button type="button" className="button" onClick={() => setResplitting(true)} disabled={!serverSplits} data-testid="resplit-open">
            <ShuffleIcon size={14} /> Re-split…
          </button>
          <button type="button" className="button" onClick={onImport}>
            <ImportIcon size={14} /> Add files…
          </button>
          <button type="button" className="button" onClick={onTrain} data-testid="corpus-train">
            <ModelIcon size={14} /> Train model…
          </button>
          <button type="button" className="button button-danger-quiet" onClick={() => setConfirming(true)} data-testid="delete-corpus">
            <TrashIcon size={14} /> Delete
          </button>
        </div>
      </header>
      <CorpusTabs tab={tab} onChange={(next) => model.showCorpusTab(next)} />
      {tab === 'pieces' ? (
        <div className="tab-content" role="tabpanel" aria-label="Pieces" data-testid="pieces-panel">
          <div className="toolbar">
            <label className="search-field">
              <SearchIcon size={14} />
              <span className="visually-hidden">Filter pieces</span>
              <input
                type="search"
                placeholder="Filter by path or split"
                value={query}
                onChange={(event) => setQuery(event.target.value)}
                data-testid="piece-filter"
              />
            </label>
            <span className="toolbar-info" aria-live="polite">
              {loading ? 'Loading pieces…' : filtered.length === rows.length ? plural(rows.length, 'piece') : `${formatCount(filtered.length)} of ${plural(rows.length, 'piece')}`}
            </span>
          </div>
          <PiecesTable
            pieces={filtered}
            sort={sort}
            onSortChange={setSort}
            emptyMessage={loading ? '' : rows.length === 0 ? 'This corpus has no pieces yet.' : 'No piece matches the filter.'}
            onExport={(piece) => void model.exportPiece(piece.id)}
            exportingIds={exportingIds}
          />
        </div>
      ) : (
        <StatisticsPanel corpus={corpus} scope={scope} onScopeChange={setScope} />
      )}
      {resplitting ? <ResplitDialog corpus={corpus} splits={serverSplits} onClose={() => setResplitting(false)} /> : null}
      {confirming ? (
        <ConfirmDialog
          title={`Delete “${corpus.name}”?`}
          confirmLabel="Delete corpus"
          danger
          confirmTestId="confirm-delete"
          onCancel={() => setConfirming(false)}
          onConfirm={async () => {
            const deleted = await model.deleteCorpus(corpus.id);
            if (!deleted) setConfirming(false);
          }}
        >
          <p>
            {plural(corpus.pieceCount, 'piece')} and {plural(corpus.noteCount, 'note')} leave the library. The MIDI files on disk are not
            touched.
          </p>
          {modelCount > 0 ? (
            <p>
              {plural(modelCount, 'model')} trained on it {modelCount === 1 ? 'is' : 'are'} deleted with it (their clips stay).
            </p>
          ) : null}
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

const TABS: readonly { readonly tab: CorpusTab; readonly label: string; readonly Icon: typeof ListIcon }[] = [
  { tab: 'pieces', label: 'Pieces', Icon: ListIcon },
  { tab: 'statistics', label: 'Statistics', Icon: ChartIcon },
];

function CorpusTabs({ tab, onChange }: { tab: CorpusTab; onChange: (tab: CorpusTab) => void }) {
  // Arrow keys move between tabs, as in any tab list.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    event.preventDefault();
    const index = TABS.findIndex((candidate) => candidate.tab === tab);
    const next = TABS[(index + (event.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length]!;
    onChange(next.tab);
    event.currentTarget.querySelector<HTMLButtonElement>(`[data-tab="${next.tab}"]`)?.focus();
  };
  return (
    <div className="tab-bar" role="tablist" aria-label="Corpus" onKeyDown={onKeyDown}>
      {TABS.map(({ tab: candidate, label, Icon }) => (
        <button
          key={candidate}
          type="button"
          role="tab"
          className={`tab${candidate === tab ? ' is-active' : ''}`}
          aria-selected={candidate === tab}
          tabIndex={candidate === tab ? 0 : -1}
          data-tab={candidate}
          data-testid={`tab-${candidate}`}
          onClick={() => onChange(candidate)}
        >
          <Icon size={14} />
          {label}
        </button>
      ))}
    </div>
  );
}
