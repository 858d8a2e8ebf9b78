/**
 * The small dialog behind "Harmonize…", "Infill…" and "Continue…": what the use works on, the
 * trained polyphonic model (only those; without one, how to get one), variations, temperature, seed,
 * and the use's own setting (harmonize: the melody's rests; infill: lookahead and the pitch band;
 * continue: the length). Starting saves the edits first and runs the use as a job.
 */
import { useId, useState } from 'react';
import { isPolyphonicSettings, type ModelSummary } from '../../../../core/ipc/schemas';
import { AlertIcon, DiceIcon, ModelIcon, SparkIcon } from '../../components/icons';
import { Modal } from '../../components/Modal';
import { plural } from '../../lib/format';
import { describeTemperature } from '../models/generate-form';
import { Field } from '../models/Field';
import { FAMILY_LABEL, formatFrameNll, frameNll, polyphonicKindLabel } from '../models/model-format';
import { randomSeed } from '../models/train-form';
import {
  describeBand,
  describeTarget,
  noModelAdvice,
  USE_LABEL,
  USE_LIMITS,
  usablePolyphonicModels,
  validateUseForm,
  type PolyphonicRequest,
  type PolyphonicUseForm,
  type UseContext,
} from './polyphonic-uses';

export interface PolyphonicDialogProps {
  readonly context: UseContext;
  readonly models: readonly ModelSummary[];
  readonly initialForm: PolyphonicUseForm;
  /** Bar.beat of a tick, for the summary. */
  readonly position: (ticks: number) => string;
  /** Resolves with an error to show, or null once the job started (the caller closes the dialog). */
  readonly onStart: (request: PolyphonicRequest, form: PolyphonicUseForm) => Promise<string | null>;
  readonly onClose: () => void;
  /** Shows the Models view (to train one). */
  readonly onOpenModels: () => void;
}

const TITLES = { harmonize: 'Harmonize the melody', infill: 'Infill a region', continue: 'Continue the clip' } as const;

const SUBTITLES = {
  harmonize: 'The model writes the voices under the selected melody, step by step, keeping the melody as it is.',
  infill: 'The model writes the region again, consistent with the music before it and, within the lookahead, after it.',
  continue: 'The model goes on from the end of the clip.',
} as const;

function modelOption(model: ModelSummary): string {
  const kind = isPolyphonicSettings(model.settings) ? polyphonicKindLabel(model.settings.kind) : FAMILY_LABEL[model.family];
  const nll = frameNll(model.validLogLikelihoodPerToken);
  const status = model.status === 'training' ? ' · still training' : model.status === 'stopped' ? ' · stopped' : '';
  return `${model.name} — ${kind}${nll === null ? '' : ` · frame NLL ${formatFrameNll(nll, 2)}`}${status}`;
}

export function PolyphonicDialog({ context, models, initialForm, position, onStart, onClose, onOpenModels }: PolyphonicDialogProps) {
  const [form, setForm] = useState<PolyphonicUseForm>(initialForm);
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<string | null>(null);
  const ids = { model: useId(), count: useId(), temperature: useId(), seed: useId(), lookahead: useId(), length: useId(), band: useId() };
  const usable = usablePolyphonicModels(models);
  const validation = validateUseForm(form, context);
  const errors = validation.ok ? {} : validation.errors;
  const show = (field: keyof typeof errors): string | undefined => (submitted || field !== 'modelId' ? errors[field] : undefined);
  const change = (changes: Partial<PolyphonicUseForm>) => {
    setForm((current) => ({ ...current, ...changes }));
    setServerError(null);
  };
  const use = context.use;
  const count = validation.ok ? (validation.request.input.count ?? 1) : null;

  const start = async () => {
    setSubmitted(true);
    if (!validation.ok || busy) return;
    setBusy(true);
    const error = await onStart(validation.request, form);
    setBusy(false);
    if (error !== null) setServerError(error);
  };

  const firstError = errors.region ?? errors.notes;
  return (
    <Modal
      title={TITLES[use]}
      onClose={() => {
        if (!busy) onClose();
      }}
      testId="polyphonic-dialog"
      className="polyphonic-dialog"
      footer={
        <>
          {serverError || (submitted && !validation.ok) || firstError ? (
            <p className="dialog-error" role="alert" data-testid="polyphonic-error">
              <AlertIcon size={14} /> {serverError ?? firstError ?? 'Fix the highlighted fields first.'}
            </p>
          ) : (
            <span className="footer-spacer" />
          )}
          <button type="button" className="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button
            type="button"
            className="button button-primary"
            onClick={() => void start()}
            disabled={busy || usable.length === 0}
            data-testid="polyphonic-start"
          >
            <SparkIcon size={13} /> {busy ? 'Saving and starting…' : `${USE_LABEL[use]}${count === null ? '' : ` · ${plural(count, 'variation')}`}`}
          </button>
        </>
      }
    >
      <form
        className="polyphonic-form"
        data-use={use}
        onSubmit={(event) => {
          event.preventDefault();
          void start();
        }}
      >
        <p className="polyphonic-intro">{SUBTITLES[use]}</p>
        <p className="polyphonic-target" data-testid="polyphonic-target">
          {describeTarget(context, form, position)}
        </p>
        <div className="form-grid">
          <Field label="Model" htmlFor={usable.length > 0 ? ids.model : undefined} error={show('modelId')} wide>
            {usable.length > 0 ? (
              <select
                id={ids.model}
                value={form.modelId ?? ''}
                onChange={(event) => change({ modelId: event.target.value === '' ? null : Number(event.target.value) })}
                data-testid="polyphonic-model"
                disabled={busy}
              >
                {usable.map((model) => (
                  <option key={model.id} value={model.id}>
                    {modelOption(model)}
                  </option>
                ))}
              </select>
            ) : (
              <div className="polyphonic-no-model" role="note" data-testid="polyphonic-no-model">
                <ModelIcon size={16} />
                <span>{noModelAdvice(models)}</span>
                <button type="button" className="button button-small" onClick={onOpenModels} data-testid="polyphonic-open-models">
                  Open Models
                </button>
              </div>
            )}
          </Field>

          <Field label="Variations" htmlFor={ids.count} error={show('count')} hint={`${USE_LIMITS.count.min}–${USE_LIMITS.count.max}, each a new clip`}>
            <input
              id={ids.count}
              type="number"
              inputMode="numeric"
              min={USE_LIMITS.count.min}
              max={USE_LIMITS.count.max}
              value={form.count}
              aria-invalid={errors.count !== undefined}
              onChange={(event) => change({ count: event.target.value })}
              data-testid="polyphonic-count"
              disabled={busy}
            />
          </Field>

          <Field label="Seed" htmlFor={ids.seed} error={show('seed')} hint="Empty: a new one each time">
            <div className="seed-row">
              <input
                id={ids.seed}
                type="text"
                inputMode="numeric"
                placeholder="random"
                value={form.seed}
                aria-invalid={errors.seed !== undefined}
                onChange={(event) => change({ seed: event.target.value })}
                data-testid="polyphonic-seed"
                disabled={busy}
              />
              <button type="button" className="button" title="Pick a seed now, to make these again later" aria-label="Pick a random seed" onClick={() => change({ seed: String(randomSeed()) })} disabled={busy}>
                <DiceIcon size={14} />
              </button>
            </div>
          </Field>

          <Field label="Temperature" htmlFor={ids.temperature} error={show('temperature')} wide hint={describeTemperature(form.temperature)}>
            <div className="slider-row">
              <input
                id={ids.temperature}
                type="range"
                min={USE_LIMITS.temperature.min}
                max={USE_LIMITS.temperature.max}
                step={USE_LIMITS.temperature.step}
                value={form.temperature}
                aria-valuetext={form.temperature.toFixed(2)}
                onChange={(event) => change({ temperature: Number(event.target.value) })}
                data-testid="polyphonic-temperature"
                disabled={busy}
              />
              <span className="slider-value">{form.temperature.toFixed(2)}</span>
            </div>
          </Field>

          {context.use === 'harmonize' ? (
            <Field
              label="Where the melody rests"
              wide
              hint={form.restSteps === 'free' ? 'The other voices may go on playing under a rest.' : 'Every voice rests with the melody.'}
            >
              <div className="segmented segmented-fill" role="radiogroup" aria-label="Where the melody rests" data-testid="polyphonic-rests">
                {(['free', 'silent'] as const).map((value) => (
                  <button
                    key={value}
                    type="button"
                    role="radio"
                    aria-checked={form.restSteps === value}
                    className={`segment${form.restSteps === value ? ' is-active' : ''}`}
                    data-value={value}
                    disabled={busy}
                    onClick={() => change({ restSteps: value })}
                  >
                    {value === 'free' ? 'Free' : 'Silent'}
                  </button>
                ))}
              </div>
            </Field>
          ) : null}

          {context.use === 'infill' ? (
            <>
              <Field label="Lookahead" htmlFor={ids.lookahead} error={show('lookahead')} hint="Grid steps after the region the result must lead into (0: the past only)">
                <input
                  id={ids.lookahead}
                  type="number"
                  inputMode="numeric"
                  min={USE_LIMITS.lookahead.min}
                  max={USE_LIMITS.lookahead.max}
                  value={form.lookahead}
                  aria-invalid={errors.lookahead !== undefined}
                  onChange={(event) => change({ lookahead: event.target.value })}
                  data-testid="polyphonic-lookahead"
                  disabled={busy}
                />
              </Field>
              <Field label="Pitches" hint={context.target.band ? 'Notes outside the band stay as they are.' : 'Select notes to limit the region to their pitches.'}>
                <label className="checkbox-row" htmlFor={ids.band}>
                  <input
                    id={ids.band}
                    type="checkbox"
                    checked={form.limitToBand && context.target.band !== null}
                    disabled={busy || context.target.band === null}
                    onChange={(event) => change({ limitToBand: event.target.checked })}
                    data-testid="polyphonic-band"
                  />
                  {context.target.band ? `Only the selection’s band (${describeBand(context.target.band)})` : 'All pitches'}
                </label>
              </Field>
            </>
          ) : null}

          {context.use === 'continue' ? (
            <Field label="Length" htmlFor={ids.length} error={show('lengthValue')} wide hint={form.lengthUnit === 'bars' ? 'Bars of 4/4 after the clip' : 'Grid steps at the model’s resolution'}>
              <div className="input-with-unit">
                <input
                  id={ids.length}
                  type="number"
                  inputMode="numeric"
                  min={USE_LIMITS.length.min}
                  max={USE_LIMITS.length.max}
                  value={form.lengthValue}
                  aria-invalid={errors.lengthValue !== undefined}
                  onChange={(event) => change({ lengthValue: event.target.value })}
                  data-testid="polyphonic-length"
                  disabled={busy}
                />
                <div className="segmented" role="radiogroup" aria-label="Length unit" data-testid="polyphonic-length-unit">
                  {(['bars', 'steps'] as const).map((unit) => (
                    <button
                      key={unit}
                      type="button"
                      role="radio"
                      aria-checked={form.lengthUnit === unit}
                      className={`segment${form.lengthUnit === unit ? ' is-active' : ''}`}
                      data-value={unit}
                      disabled={busy}
                      onClick={() => change({ lengthUnit: unit })}
                    >
                      {unit === 'bars' ? 'Bars' : 'Steps'}
                    </button>
                  ))}
                </div>
              </div>
            </Field>
          ) : null}
        </div>
        <p className="field-hint polyphonic-save-note">Unsaved edits are saved first: the model reads the clip as saved. Each result is a new clip; this one is not changed.</p>
      </form>
    </Modal>
  );
}
