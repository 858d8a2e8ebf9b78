/**
 * "Reconstruct…" in the editor's Model group: a trained MusicVAE encodes the open clip's segment
 * (its model's bars, from the bar of the selection's first note or else the playhead's bar) and
 * decodes it again; each result is a new clip. The edits are saved first, and the run joins the
 * same results strip as Harmonize / Infill / Continue.
 */
import { useId, useState } from 'react';
import type { EditorStore } from '../../editor/editor-store';
import { AlertIcon, SparkIcon } from '../../components/icons';
import { Modal } from '../../components/Modal';
import { usePlaybackState } from '../../playback';
import { useEnvironment, useStudio } from '../../state/studio-context';
import { useEditorState, useWorkbench, useWorkbenchState } from '../editor/editor-context';
import { Field } from '../models/Field';
import { describeTemperature } from '../models/generate-form';
import { defaultReconstructForm, noVaeAdvice, reconstructStartBar, segmentBars, usableVaeModels, validateReconstructForm, type ReconstructForm } from '../models/vae-uses';
import { describeStartOutcome, runsFor, startPolyphonicUse } from './polyphonic-runs';

export function ReconstructAction({ editor }: { editor: EditorStore }) {
  const workbench = useWorkbench();
  const { model: studio, api } = useEnvironment();
  const clipId = useWorkbenchState((state) => state.clipId);
  const document = useEditorState(editor, (state) => state.document);
  const selection = useEditorState(editor, (state) => state.selection);
  const playhead = usePlaybackState((state) => state.positionTicks);
  const models = useStudio((state) => state.models);
  const [form, setForm] = useState<ReconstructForm | null>(null);
  const [last, setLast] = useState<Partial<ReconstructForm>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ids = { model: useId(), bar: useId(), count: useId(), temperature: useId(), seed: useId() };
  const empty = document.tracks.every((track) => track.notes.length === 0);
  const reason = clipId === null ? 'Open a saved clip first.' : empty ? 'The clip is empty: there is nothing to reconstruct.' : null;
  const usable = usableVaeModels(models);

  const open = () => {
    if (reason) {
      studio.notify(reason, 'warning');
      return;
    }
    const { startBar: _ignored, ...kept } = last;
    setForm(defaultReconstructForm(models, reconstructStartBar(document, selection, playhead), kept));
    setError(null);
  };
  const validation = form && clipId !== null ? validateReconstructForm(form, clipId) : null;
  const errors = validation && !validation.ok ? validation.errors : {};
  const chosen = usable.find((candidate) => candidate.id === form?.modelId);

  const start = async () => {
    if (!validation?.ok || busy || !form) return;
    setBusy(true);
    const sourceName = editor.state.document.name.trim() || 'Untitled clip';
    const outcome = await startPolyphonicUse(workbench, api, { use: 'reconstruct', input: validation.input });
    setBusy(false);
    if (outcome.kind !== 'started') {
      setError(describeStartOutcome(outcome, 'reconstruct'));
      return;
    }
    runsFor(workbench).add({ jobId: outcome.jobId, use: 'reconstruct', sourceName, modelName: chosen?.name ?? 'MusicVAE', count: validation.input.count ?? 1 });
    setLast(form);
    setForm(null);
    studio.notify(`Reconstructing “${sourceName}”: the new clips appear here when the job is done.`, 'info');
  };

  return (
    <>
      <button
        type="button"
        className={`tool-text-button${reason ? ' is-unavailable' : ''}`}
        aria-disabled={reason !== null}
        title={reason ?? 'Reconstruct… a segment of this clip with a MusicVAE (encode, then decode)'}
        onClick={open}
        data-testid="vae-reconstruct"
        data-reason={reason ?? ''}
      >
        Reconstruct…
      </button>
      {form ? (
        <Modal
          title="Reconstruct a segment"
          onClose={() => !busy && setForm(null)}
          testId="reconstruct-dialog"
          footer={
            <>
              {error ? (
                <p className="dialog-error" role="alert" data-testid="reconstruct-error">
                  <AlertIcon size={14} /> {error}
                </p>
              ) : (
                <span className="footer-spacer" />
              )}
              <button type="button" className="button" onClick={() => setForm(null)} disabled={busy}>
                Cancel
              </button>
              <button type="button" className="button button-primary" onClick={() => void start()} disabled={busy || !validation?.ok} data-testid="reconstruct-start">
                <SparkIcon size={13} /> {busy ? 'Starting…' : 'Reconstruct'}
              </button>
            </>
          }
        >
          <form className="train-form polyphonic-form" onSubmit={(event) => (event.preventDefault(), void start())}>
            <p className="muted small">The model encodes {chosen ? `${segmentBars(chosen)} bar${segmentBars(chosen) === 1 ? '' : 's'}` : 'its segment'} of the saved clip from the start bar and plays it back: how much of this music it captures.</p>
            <div className="form-grid">
              <Field label="MusicVAE" htmlFor={ids.model} wide error={usable.length === 0 ? undefined : errors.modelId}>
                {usable.length === 0 ? (
                  <p className="field-advice" data-testid="reconstruct-no-model">
                    {noVaeAdvice(models)}
                  </p>
                ) : (
                  <select id={ids.model} value={form.modelId ?? ''} onChange={(event) => setForm({ ...form, modelId: Number(event.target.value) })} data-testid="reconstruct-model">
                    {usable.map((candidate) => (
                      <option key={candidate.id} value={candidate.id}>
                        {candidate.name}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label="Start bar" htmlFor={ids.bar} error={errors.startBar} hint={`From the ${reconstructStartBar(document, selection, playhead).source}`}>
                <input id={ids.bar} type="text" inputMode="numeric" value={form.startBar} onChange={(event) => setForm({ ...form, startBar: event.target.value })} data-testid="reconstruct-bar" />
              </Field>
              <Field label="Results" htmlFor={ids.count} error={errors.count} hint="Each a new clip">
                <input id={ids.count} type="text" inputMode="numeric" value={form.count} onChange={(event) => setForm({ ...form, count: event.target.value })} data-testid="reconstruct-count" />
              </Field>
              <Field label="Seed" htmlFor={ids.seed} error={errors.seed} hint="Empty: any">
                <input id={ids.seed} type="text" inputMode="numeric" value={form.seed} onChange={(event) => setForm({ ...form, seed: event.target.value })} data-testid="reconstruct-seed" />
              </Field>
              <Field label={`Temperature ${form.temperature.toFixed(2)}`} htmlFor={ids.temperature} wide error={errors.temperature} hint={describeTemperature(form.temperature)}>
                <input id={ids.temperature} type="range" min={0.05} max={2} step={0.05} value={form.temperature} onChange={(event) => setForm({ ...form, temperature: Number(event.target.value) })} />
              </Field>
            </div>
          </form>
        </Modal>
      ) : null}
    </>
  );
}
