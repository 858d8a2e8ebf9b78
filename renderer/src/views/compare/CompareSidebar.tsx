/**
 * The Compare view's sidebar: "New…" and every comparison, newest first, with its corpus, size,
 * status (a small live progress bar while it runs) and when it was made. A stored comparison opens
 * from its kept results, without a job; arrow keys move the selection.
 */
import { useRef, type KeyboardEvent } from 'react';
import type { ComparisonSummary, Job } from '../../../../core/ipc/schemas';
import { ChartIcon, PlusIcon } from '../../components/icons';
import { formatCount, formatTimestamp } from '../../lib/format';
import { useStudio } from '../../state/studio-context';
import { useComparisonLibrary, useComparisonState } from './comparison-context';

export const COMPARISON_STATUS_LABEL: Readonly<Record<ComparisonSummary['status'], string>> = {
  running: 'Running',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** The status pill's look: the model list's classes (running reads as training, done as trained). */
export const COMPARISON_STATUS_TONE: Readonly<Record<ComparisonSummary['status'], string>> = {
  running: 'training',
  done: 'trained',
  failed: 'failed',
  cancelled: 'stopped',
};

export function CompareSidebar({ onNew }: { onNew: () => void }) {
  const library = useComparisonLibrary();
  const list = useComparisonState((state) => state.list);
  const loaded = useComparisonState((state) => state.listLoaded);
  const selectedId = useComparisonState((state) => state.selectedId);
  const jobs = useStudio((state) => state.jobs);
  const listRef = useRef<HTMLUListElement>(null);

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    const index = list.findIndex((summary) => summary.id === selectedId);
    const next = list[Math.min(list.length - 1, Math.max(0, index + (event.key === 'ArrowDown' ? 1 : -1)))];
    if (!next) return;
    library.select(next.id);
    listRef.current?.querySelector<HTMLButtonElement>(`[data-comparison-id="${next.id}"]`)?.focus();
  };

  return (
    <aside className="sidebar" aria-label="Comparisons">
      <div className="sidebar-header">
        <h2 className="section-title">Comparisons</h2>
        <span className="sidebar-count">{loaded ? formatCount(list.length) : ''}</span>
        <button type="button" className="button button-small button-primary" onClick={onNew} data-testid="compare-new">
          <PlusIcon size={14} /> New…
        </button>
      </div>
      {loaded && list.length === 0 ? (
        <div className="sidebar-empty">
          <ChartIcon size={28} />
          <p>No comparisons yet.</p>
          <p className="muted">Compare trained models of one corpus by numbers, pictures and ears.</p>
        </div>
      ) : (
        <ul className="corpus-list compare-list" ref={listRef} onKeyDown={onKeyDown} aria-label="Comparisons">
          {list.map((summary, index) => (
            <li key={summary.id}>
              <ComparisonRow
                summary={summary}
                job={summary.jobId === null ? undefined : jobs.find((job) => job.id === summary.jobId)}
                selected={summary.id === selectedId}
                focusable={summary.id === selectedId || (selectedId === null && index === 0)}
                onSelect={() => library.select(summary.id)}
              />
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}

interface ComparisonRowProps {
  readonly summary: ComparisonSummary;
  readonly job: Job | undefined;
  readonly selected: boolean;
  readonly focusable: boolean;
  readonly onSelect: () => void;
}

function ComparisonRow({ summary, job, selected, focusable, onSelect }: ComparisonRowProps) {
  const running = summary.status === 'running';
  const progress = job && job.status === 'running' ? job.progress : 0;
  return (
    <button
      type="button"
      className={`corpus-row model-row compare-list-row${selected ? ' is-selected' : ''}`}
      aria-current={selected ? 'true' : undefined}
      data-testid="compare-list-row"
      data-comparison-id={summary.id}
      data-status={summary.status}
      tabIndex={focusable ? 0 : -1}
      onClick={onSelect}
    >
      <span className="model-row-top">
        <span className="corpus-row-name" title={summary.name}>
          {summary.name}
        </span>
        <span className={`status-pill status-pill-${COMPARISON_STATUS_TONE[summary.status]}`}>{COMPARISON_STATUS_LABEL[summary.status]}</span>
      </span>
      <span className="model-row-meta">
        <span className="model-row-corpus" title={`On ${summary.corpusName}`}>
          {summary.corpusName}
        </span>
        <span className="compare-list-facts">
          {summary.modelIds.length} model{summary.modelIds.length === 1 ? '' : 's'} · {summary.samplesPerModel} each · {summary.referenceSplit}
        </span>
      </span>
      {running ? (
        <span className="model-row-progress" aria-label={`Running: ${Math.round(progress * 100)}%`}>
          <span className="mini-progress">
            <span className="mini-progress-fill" style={{ width: `${Math.round(progress * 100)}%` }} />
          </span>
          <span className="model-row-iterations">{Math.round(progress * 100)}%</span>
        </span>
      ) : (
        <span className="corpus-row-stats">
          <span className="corpus-row-duration">{formatTimestamp(summary.createdAt)}</span>
        </span>
      )}
    </button>
  );
}
