/**
 * The clips the models made: this model's or all of them, as a table (name, model, notes, length,
 * created; Export MIDI and Delete per row) beside a mini piano roll of the selected clip.
 */
import { useEffect, useMemo, useState } from 'react';
import type { ClipSummary, ModelSummary } from '../../../../core/ipc/schemas';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ClipIcon, ExportIcon, PianoRollIcon, TrashIcon } from '../../components/icons';
import { useWavExport, WaveIcon } from '../../export/use-wav-export';
import { formatClock, formatCount, formatTimestamp } from '../../lib/format';
import { clipsOfModel } from '../../state/models';
import { useModel, useStudio } from '../../state/studio-context';
import { useOpenInEditor } from '../editor/editor-context';
import { ClipPreview } from './ClipPreview';

type Scope = 'model' | 'all';

export function ClipsPanel({ model }: { model: ModelSummary | null }) {
  const studio = useModel();
  const clips = useStudio((state) => state.clips);
  const loaded = useStudio((state) => state.clipsLoaded);
  const selectedId = useStudio((state) => state.selectedClipId);
  const exportingIds = useStudio((state) => state.exportingClipIds);
  const [scope, setScope] = useState<Scope>('model');
  const [deleting, setDeleting] = useState<ClipSummary | null>(null);
  const effectiveScope: Scope = model === null ? 'all' : scope;
  const visible = useMemo(() => clipsOfModel(clips, effectiveScope === 'all' || model === null ? null : model.id), [clips, effectiveScope, model]);
  const ownCount = useMemo(() => (model === null ? 0 : clipsOfModel(clips, model.id).length), [clips, model]);

  // The preview always shows one of the listed clips: the selection, else the newest listed.
  const shownId = visible.some((clip) => clip.id === selectedId) ? selectedId : (visible[0]?.id ?? null);
  useEffect(() => {
    if (shownId !== null && shownId !== selectedId) studio.clips.select(shownId);
  }, [studio, shownId, selectedId]);

  return (
    <section className="card clips-card" aria-label="Clips" data-testid="clips-panel">
      <header className="card-header">
        <span className="card-title">
          <ClipIcon size={14} /> Clips
        </span>
        {model !== null ? (
          <div className="segmented" role="radiogroup" aria-label="Clips of">
            <button
              type="button"
              role="radio"
              aria-checked={effectiveScope === 'model'}
              className={`segment${effectiveScope === 'model' ? ' is-active' : ''}`}
              onClick={() => setScope('model')}
              data-testid="clips-scope-model"
            >
              This model <span className="segment-count">{formatCount(ownCount)}</span>
            </button>
            <button
              type="button"
              role="radio"
              aria-checked={effectiveScope === 'all'}
              className={`segment${effectiveScope === 'all' ? ' is-active' : ''}`}
              onClick={() => setScope('all')}
              data-testid="clips-scope-all"
            >
              All <span className="segment-count">{formatCount(clips.length)}</span>
            </button>
          </div>
        ) : (
          <span className="card-subtitle">{formatCount(clips.length)} in the studio</span>
        )}
      </header>
      {visible.length === 0 ? (
        <div className="clips-empty">
          <ClipIcon size={24} />
          <p className="muted">
            {!loaded
              ? 'Loading clips…'
              : model !== null && effectiveScope === 'model'
                ? 'No clips from this model yet: generate some with the panel above.'
                : 'No clips yet: a trained model’s Generate panel makes them.'}
          </p>
        </div>
      ) : (
        <div className="clips-body">
          <div className="clips-table-wrap">
            <table className="data-table clips-table" data-testid="clips-table">
              <colgroup>
                <col />
                {effectiveScope === 'all' ? <col style={{ width: '30%' }} /> : null}
                <col style={{ width: 62 }} />
                <col style={{ width: 62 }} />
                <col style={{ width: 74 }} />
                <col style={{ width: 112 }} />
              </colgroup>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  {effectiveScope === 'all' ? <th scope="col">Model</th> : null}
                  <th scope="col" className="numeric">
                    Notes
                  </th>
                  <th scope="col" className="numeric">
                    Length
                  </th>
                  <th scope="col" className="numeric">
                    Created
                  </th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {visible.map((clip) => (
                  <ClipRow
                    key={clip.id}
                    clip={clip}
                    showModel={effectiveScope === 'all'}
                    selected={clip.id === shownId}
                    exporting={exportingIds.includes(clip.id)}
                    onSelect={() => studio.clips.select(clip.id)}
                    onExport={() => void studio.clips.export(clip.id)}
                    onDelete={() => setDeleting(clip)}
                  />
                ))}
              </tbody>
            </table>
          </div>
          <ClipPreview clipId={shownId} />
        </div>
      )}
      {deleting ? (
        <ConfirmDialog
          title={`Delete “${deleting.name}”?`}
          confirmLabel="Delete clip"
          danger
          confirmTestId="confirm-delete-clip"
          onCancel={() => setDeleting(null)}
          onConfirm={async () => {
            await studio.clips.delete(deleting.id);
            setDeleting(null);
          }}
        >
          <p>The clip’s {formatCount(deleting.noteCount)} notes leave the studio. MIDI files you exported are not touched.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

interface ClipRowProps {
  readonly clip: ClipSummary;
  readonly showModel: boolean;
  readonly selected: boolean;
  readonly exporting: boolean;
  readonly onSelect: () => void;
  readonly onExport: () => void;
  readonly onDelete: () => void;
}

function ClipRow({ clip, showModel, selected, exporting, onSelect, onExport, onDelete }: ClipRowProps) {
  const wav = useWavExport();
  const openInEditor = useOpenInEditor();
  return (
    <tr
      className={selected ? 'is-selected' : undefined}
      aria-selected={selected}
      data-testid="clip-row"
      data-clip-id={clip.id}
      onClick={onSelect}
      tabIndex={0}
      onKeyDown={(event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          onSelect();
        }
      }}
    >
      <td className="clip-name" title={clip.name}>
        {clip.name}
      </td>
      {showModel ? (
        <td className="clip-model muted" title={clip.modelName ?? 'Model deleted'}>
          {clip.modelName ?? <span className="dim">deleted model</span>}
        </td>
      ) : null}
      <td className="numeric">{formatCount(clip.noteCount)}</td>
      <td className="numeric">{formatClock(clip.durationSeconds)}</td>
      <td className="numeric muted">{formatTimestamp(clip.createdAt)}</td>
      <td className="row-actions clip-actions">
        {openInEditor ? (
          <button
            type="button"
            className="icon-button row-action"
            title="Open in editor"
            aria-label={`Open ${clip.name} in the editor`}
            onClick={(event) => {
              event.stopPropagation();
              openInEditor({ clipId: clip.id, label: clip.name });
            }}
            data-testid="open-in-editor"
          >
            <PianoRollIcon size={14} />
          </button>
        ) : null}
        <button
          type="button"
          className="icon-button row-action"
          title="Export MIDI…"
          aria-label={`Export ${clip.name} as MIDI`}
          disabled={exporting}
          onClick={(event) => {
            event.stopPropagation();
            onExport();
          }}
          data-testid="clip-export"
        >
          <ExportIcon size={14} />
        </button>
        <button
          type="button"
          className="icon-button row-action"
          title="Export WAV…"
          aria-label={`Export ${clip.name} as WAV`}
          disabled={wav.isExporting({ clipId: clip.id })}
          onClick={(event) => {
            event.stopPropagation();
            wav.start({ clipId: clip.id }, clip.name);
          }}
          data-testid="export-wav"
        >
          <WaveIcon size={14} />
        </button>
        <button
          type="button"
          className="icon-button row-action row-action-danger"
          title="Delete clip"
          aria-label={`Delete ${clip.name}`}
          onClick={(event) => {
            event.stopPropagation();
            onDelete();
          }}
          data-testid="clip-delete"
        >
          <TrashIcon size={14} />
        </button>
      </td>
    </tr>
  );
}
