/**
 * The editor's polyphonic tools: "Harmonize…" (the selected notes of one track are the melody),
 * "Infill…" (the selection's span, or the loop) and "Continue…" (the whole clip as the primer). A
 * tool that cannot run yet stays focusable and says why (tooltip and description), instead of
 * silently greying out. Each run is a job (the Jobs panel shows it too); the strip under the
 * toolbar follows it and opens its clips when it is done.
 */
import { useMemo, useState, useSyncExternalStore } from 'react';
import type { EditorStore } from '../../editor/editor-store';
import { buildMeterMap, formatBarBeat } from '../../editor/grid';
import { ClipIcon, CloseIcon, SparkIcon } from '../../components/icons';
import { ProgressBar } from '../../components/ProgressBar';
import { usePlaybackState } from '../../playback';
import { useEnvironment, useStudio } from '../../state/studio-context';
import { useEditorState, useWorkbench, useWorkbenchState } from '../editor/editor-context';
import { PolyphonicDialog } from './PolyphonicDialog';
import { describeStartOutcome, RUN_WORDS, runsFor, startPolyphonicUse, viewRun, type PolyphonicRun } from './polyphonic-runs';
import { ReconstructAction } from './ReconstructAction';
import {
  continueTarget,
  defaultUseForm,
  harmonizeTarget,
  infillTarget,
  USE_LABEL,
  type PolyphonicRequest,
  type PolyphonicUse,
  type PolyphonicUseForm,
  type UseContext,
} from './polyphonic-uses';
import './polyphonic.css';

const USES: readonly PolyphonicUse[] = ['harmonize', 'infill', 'continue'];

const USE_DOING: Record<PolyphonicUse, string> = { harmonize: 'Harmonizing', infill: 'Infilling', continue: 'Continuing' };

const USE_TITLE: Record<PolyphonicUse, string> = {
  harmonize: 'Harmonize… the selected melody with a polyphonic model (the other voices are written under it)',
  infill: 'Infill… the selection’s span, or the loop, again with a polyphonic model',
  continue: 'Continue… the clip polyphonically with a polyphonic model',
};

export function PolyphonicActions({ editor }: { editor: EditorStore }) {
  const workbench = useWorkbench();
  const { model, api } = useEnvironment();
  const clipId = useWorkbenchState((state) => state.clipId);
  const document = useEditorState(editor, (state) => state.document);
  const selection = useEditorState(editor, (state) => state.selection);
  const loop = usePlaybackState((state) => state.loop);
  const models = useStudio((state) => state.models);
  const [open, setOpen] = useState<UseContext | null>(null);
  // What was chosen last time (model, variations, temperature…), offered again.
  const [lastForm, setLastForm] = useState<Partial<PolyphonicUseForm>>({});
  const meter = buildMeterMap(document.timeSignatures, document.ppq);

  // Recomputed only when the music, the selection or the loop changes (a rubber band re-renders often).
  const availability = useMemo(
    () =>
      ({
        harmonize: harmonizeTarget(document, selection),
        infill: infillTarget(document, selection, loop),
        continue: continueTarget(document),
      }) as const,
    [document, selection, loop],
  );

  const openUse = (use: PolyphonicUse) => {
    if (clipId === null) return;
    const available = availability[use];
    if (!available.ok) {
      model.notify(available.reason, 'warning');
      return;
    }
    if (use === 'harmonize' && availability.harmonize.ok) setOpen({ use, clipId, target: availability.harmonize.target });
    else if (use === 'infill' && availability.infill.ok) setOpen({ use, clipId, target: availability.infill.target });
    else if (use === 'continue') setOpen({ use, clipId });
  };

  const start = async (request: PolyphonicRequest, form: PolyphonicUseForm): Promise<string | null> => {
    const use = request.use;
    const chosen = models.find((candidate) => candidate.id === request.input.modelId);
    const sourceName = editor.state.document.name.trim() || 'Untitled clip';
    const outcome = await startPolyphonicUse(workbench, api, request);
    const problem = describeStartOutcome(outcome, use);
    if (outcome.kind !== 'started') return problem ?? 'Did not start.';
    const run: PolyphonicRun = { jobId: outcome.jobId, use, sourceName, modelName: chosen?.name ?? `model ${request.input.modelId}`, count: request.input.count ?? 1 };
    runsFor(workbench).add(run);
    setLastForm(form);
    setOpen(null);
    model.notify(`${USE_DOING[use]} “${sourceName}” with “${run.modelName}”: the new clips appear here when the job is done (the Jobs panel shows its progress).`, 'info');
    return null;
  };

  return (
    <div className="tool-group polyphonic-tools" role="group" aria-label="Polyphonic model" data-testid="polyphonic-tools">
      <span className="tool-label" title="A trained model (polyphonic RNN-NADE, MusicVAE) writes music for this clip; each result is a new clip">
        Model
      </span>
      {USES.map((use) => {
        const available = availability[use];
        const reason = available.ok ? null : available.reason;
        const reasonId = `polyphonic-${use}-reason`;
        return (
          <button
            key={use}
            type="button"
            className={`tool-text-button${reason ? ' is-unavailable' : ''}`}
            aria-disabled={reason !== null || clipId === null}
            aria-describedby={reason ? reasonId : undefined}
            title={reason ?? USE_TITLE[use]}
            onClick={() => openUse(use)}
            data-testid={`polyphonic-${use}`}
            data-reason={reason ?? ''}
          >
            {USE_LABEL[use]}…
            {reason ? (
              <span id={reasonId} className="visually-hidden">
                {reason}
              </span>
            ) : null}
          </button>
        );
      })}
      <ReconstructAction editor={editor} />
      {open ? (
        <PolyphonicDialog
          key={`${open.use}-${open.clipId}`}
          context={open}
          models={models}
          initialForm={defaultUseForm(models, lastForm)}
          position={(ticks) => formatBarBeat(meter, ticks)}
          onStart={start}
          onClose={() => setOpen(null)}
          onOpenModels={() => {
            setOpen(null);
            workbench.hide();
            model.showView('models');
          }}
        />
      ) : null}
    </div>
  );
}

/**
 * The runs started from the editor (and the VAE's interpolations from the Models view): progress
 * while they work, then their clips to open. `only`: the uses this strip shows (all when absent).
 */
export function PolyphonicRunsStrip({ only }: { readonly only?: readonly PolyphonicRun['use'][] } = {}) {
  const workbench = useWorkbench();
  const runs = runsFor(workbench);
  const all = useSyncExternalStore(runs.store.subscribe, () => runs.store.getState().runs);
  const list = only ? all.filter((run) => only.includes(run.use)) : all;
  const jobs = useStudio((state) => state.jobs);
  const clips = useStudio((state) => state.clips);
  const openClipId = useWorkbenchState((state) => state.clipId);
  if (list.length === 0) return null;
  return (
    <div className="polyphonic-runs" role="region" aria-label="Polyphonic results" data-testid="polyphonic-runs">
      {list.slice(0, 3).map((run) => {
        const view = viewRun(
          run,
          jobs.find((job) => job.id === run.jobId),
        );
        return (
          <div key={run.jobId} className={`polyphonic-run is-${view.state}`} role="status" aria-live="polite" data-testid="polyphonic-run" data-state={view.state} data-use={run.use} data-job-id={run.jobId}>
            <SparkIcon size={13} />
            <span className="polyphonic-run-message" data-testid="polyphonic-run-message">
              {view.message}
            </span>
            {view.state === 'running' || view.state === 'waiting' ? <ProgressBar value={view.progress} label={`${RUN_WORDS[run.use].label} progress`} /> : null}
            {view.clipIds.map((clipId, index) => {
              const clip = clips.find((candidate) => candidate.id === clipId);
              const name = clip?.name ?? `Result ${index + 1}`;
              const isOpen = clipId === openClipId;
              return (
                <button
                  key={clipId}
                  type="button"
                  className={`button button-small polyphonic-run-clip${isOpen ? ' is-open' : ''}`}
                  title={isOpen ? `“${name}” is open` : `Open “${name}” in the editor (saves the edits here first)`}
                  aria-label={isOpen ? `${name} (open)` : `Open ${name}`}
                  aria-current={isOpen ? 'true' : undefined}
                  onClick={() => void workbench.open({ clipId, label: name })}
                  data-testid="polyphonic-open-result"
                  data-clip-id={clipId}
                >
                  <ClipIcon size={12} /> {clip ? `${index + 1}: ${clip.noteCount} notes` : `${index + 1}`}
                </button>
              );
            })}
            <button type="button" className="icon-button" aria-label="Dismiss" title="Dismiss" onClick={() => runs.dismiss(run.jobId)}>
              <CloseIcon size={12} />
            </button>
          </div>
        );
      })}
    </div>
  );
}
