/**
 * A MusicVAE's "Interpolate…" in its Models page: clip A and clip B from the clip list (with the bar
 * each segment starts at), steps, slerp or lerp, temperature and seed; the result is one clip
 * holding the steps in order, followed by the same results strip as the editor's model uses.
 */
import { useId, useState } from 'react';
import type { ModelSummary } from '../../../../core/ipc/schemas';
import { AlertIcon, SparkIcon } from '../../components/icons';
import { useEnvironment, useStudio } from '../../state/studio-context';
import { useWorkbench } from '../editor/editor-context';
import { PolyphonicRunsStrip } from '../polyphonic/PolyphonicActions';
import { runsFor } from '../polyphonic/polyphonic-runs';
import { Field } from './Field';
import { describeTemperature } from './generate-form';
import { defaultInterpolateForm, describeInterpolation, interpolationSource, METHODS, segmentBars, validateInterpolateForm, type InterpolateForm } from './vae-uses';

export function VaeUsesPanel({ model }: { model: ModelSummary }) {
  const { api, model: studio } = useEnvironment();
  const workbench = useWorkbench();
  const clips = useStudio((state) => state.clips);
  const [form, setForm] = useState<InterpolateForm>(() => defaultInterpolateForm(clips.map((clip) => clip.id)));
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<string | null>(null);
  const ids = { from: useId(), fromBar: useId(), to: useId(), toBar: useId(), steps: useId(), temperature: useId(), seed: useId() };
  const validation = validateInterpolateForm(form, model.id);
  const errors = validation.ok ? {} : validation.errors;
  const show = (field: keyof typeof errors) => (submitted || (field !== 'fromClipId' && field !== 'toClipId') ? errors[field] : undefined);
  const change = (changes: Partial<InterpolateForm>) => {
    setForm((current) => ({ ...current, ...changes }));
    setServerError(null);
  };
  const bars = segmentBars(model);
  const usable = model.iterations > 0;

  const start = async () => {
    setSubmitted(true);
    if (!validation.ok || busy || !usable) return;
    setBusy(true);
    try {
      const { jobId } = await api.models.interpolate(validation.input);
      const name = (id: number) => clips.find((clip) => clip.id === id)?.name ?? `clip ${id}`;
      runsFor(workbench).add({ jobId, use: 'interpolate', sourceName: interpolationSource(name(validation.input.from.clipId), name(validation.input.to.clipId)), modelName: model.name, count: 1 });
      studio.notify(`Interpolating with “${model.name}”: the new clip appears below when the job is done.`, 'info');
    } catch (error) {
      setServerError(error instanceof Error ? error.message : String(error));
    }
    setBusy(false);
  };

  const clipSelect = (id: string, value: number | null, onChange: (clipId: number | null) => void, testId: string) => (
    <select id={id} value={value ?? ''} disabled={busy} onChange={(event) => onChange(event.target.value === '' ? null : Number(event.target.value))} data-testid={testId}>
      <option value="">Choose a clip…</option>
      {clips.map((clip) => (
        <option key={clip.id} value={clip.id}>
          {clip.name} — {clip.noteCount} notes
        </option>
      ))}
    </select>
  );

  return (
    <section className="plot-card generate-panel vae-uses-panel" aria-label="Interpolate" data-testid="vae-interpolate">
      <header className="plot-header">
        <span className="plot-title" title="Encode a segment of each clip, walk between the two latent codes and decode each step">
          Interpolate between two clips
        </span>
      </header>
      <form
        className="train-form"
        onSubmit={(event) => {
          event.preventDefault();
          void start();
        }}
      >
        {clips.length < 2 ? <p className="field-advice">Interpolation needs two clips: make clips in the Library (Open in editor, then save) or sample some with Generate.</p> : null}
        <div className="form-grid">
          <Field label="Clip A" htmlFor={ids.from} error={show('fromClipId')} wide>
            {clipSelect(ids.from, form.fromClipId, (fromClipId) => change({ fromClipId }), 'vae-from-clip')}
          </Field>
          <Field label="A from bar" htmlFor={ids.fromBar} error={show('fromBar')}>
            <input id={ids.fromBar} type="text" inputMode="numeric" value={form.fromBar} onChange={(event) => change({ fromBar: event.target.value })} data-testid="vae-from-bar" />
          </Field>
          <Field label="Clip B" htmlFor={ids.to} error={show('toClipId')} wide>
            {clipSelect(ids.to, form.toClipId, (toClipId) => change({ toClipId }), 'vae-to-clip')}
          </Field>
          <Field label="B from bar" htmlFor={ids.toBar} error={show('toBar')}>
            <input id={ids.toBar} type="text" inputMode="numeric" value={form.toBar} onChange={(event) => change({ toBar: event.target.value })} data-testid="vae-to-bar" />
          </Field>
          <Field label="Steps" htmlFor={ids.steps} error={show('steps')} hint="Both ends included">
            <input id={ids.steps} type="text" inputMode="numeric" value={form.steps} onChange={(event) => change({ steps: event.target.value })} data-testid="vae-steps" />
          </Field>
          <Field label="Seed" htmlFor={ids.seed} error={show('seed')} hint="Empty: any">
            <input id={ids.seed} type="text" inputMode="numeric" value={form.seed} onChange={(event) => change({ seed: event.target.value })} data-testid="vae-seed" />
          </Field>
          <Field label="Path" wide hint={METHODS.find((option) => option.value === form.method)?.explanation}>
            <div className="segmented segmented-fill" role="radiogroup" aria-label="Interpolation path" data-testid="vae-method">
              {METHODS.map((option) => (
                <button
                  key={option.value}
                  type="button"
                  role="radio"
                  aria-checked={form.method === option.value}
                  className={`segment${form.method === option.value ? ' is-active' : ''}`}
                  data-value={option.value}
                  onClick={() => change({ method: option.value })}
                >
                  {option.label}
                </button>
              ))}
            </div>
          </Field>
          <Field label={`Temperature ${form.temperature.toFixed(2)}`} htmlFor={ids.temperature} error={show('temperature')} wide hint={describeTemperature(form.temperature)}>
            <input
              id={ids.temperature}
              type="range"
              min={0.05}
              max={2}
              step={0.05}
              value={form.temperature}
              onChange={(event) => change({ temperature: Number(event.target.value) })}
              data-testid="vae-temperature"
            />
          </Field>
        </div>
        <p className="muted small" data-testid="vae-interpolate-summary">
          {validation.ok ? describeInterpolation(validation.input.steps ?? 5, bars) : `Each step is the model’s segment: ${bars} bar${bars === 1 ? '' : 's'}.`}
        </p>
        {serverError ? (
          <p className="dialog-error" role="alert" data-testid="vae-interpolate-error">
            <AlertIcon size={14} /> {serverError}
          </p>
        ) : null}
        <div className="vae-uses">
          <button type="submit" className="button button-primary" disabled={busy || !usable} title={usable ? undefined : 'Usable once an epoch is done'} data-testid="vae-interpolate-start">
            <SparkIcon size={13} /> {busy ? 'Starting…' : 'Interpolate'}
          </button>
        </div>
      </form>
      <PolyphonicRunsStrip only={['interpolate']} />
    </section>
  );
}
