/**
 * "New comparison": a corpus, any of its trained models (a checkbox list with family and
 * representation), samples per model, their length, the seed (sample k of every model uses seed + k)
 * and the reference split. What main refuses is shown in the dialog, which stays open.
 */
import { useEffect, useId, useState, type ReactNode } from 'react';
import type { SplitCounts } from '../../../../core/ipc/schemas';
import { AlertIcon, DiceIcon, PlayIcon } from '../../components/icons';
import { Modal } from '../../components/Modal';
import { formatCount } from '../../lib/format';
import { useModel, useStudio } from '../../state/studio-context';
import { formatLogLikelihood, STATUS_LABEL } from '../models/model-format';
import { randomSeed } from '../models/train-form';
import { useComparisonLibrary } from './comparison-context';
import {
  COMPARE_LIMITS,
  DEFAULT_COMPARE_FORM,
  describeRequest,
  eligibility,
  initialCorpus,
  modelsForCorpus,
  toggleModel,
  validateCompareForm,
  type CompareField,
  type CompareForm,
  type ReferenceSplit,
} from './compare-form';
import { familyLabel } from './compare-model';

const SPLITS: readonly { readonly split: ReferenceSplit; readonly label: string }[] = [
  { split: 'train', label: 'Train' },
  { split: 'valid', label: 'Valid' },
  { split: 'test', label: 'Test' },
];

export interface NewComparisonDialogProps {
  readonly initialCorpusId: number | null;
  readonly onClose: () => void;
}

export function NewComparisonDialog({ initialCorpusId, onClose }: NewComparisonDialogProps) {
  const studio = useModel();
  const library = useComparisonLibrary();
  const corpora = useStudio((state) => state.corpora);
  const models = useStudio((state) => state.models);
  const [form, setForm] = useState<CompareForm>(() => {
    const corpusId = initialCorpus(corpora, models, initialCorpusId);
    return { ...DEFAULT_COMPARE_FORM, corpusId, modelIds: modelsForCorpus(models, corpusId).filter((model) => eligibility(model).ok).map((model) => model.id).slice(0, COMPARE_LIMITS.models.max) };
  });
  const [touched, setTouched] = useState<ReadonlySet<CompareField>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<string | null>(null);
  const [splits, setSplits] = useState<SplitCounts | 'error' | null>(null);
  const ids = { corpus: useId(), samples: useId(), length: useId(), seed: useId() };

  useEffect(() => {
    if (form.corpusId === null) return undefined;
    let cancelled = false;
    setSplits(null);
    studio.models.splits(form.corpusId).then(
      (counts) => !cancelled && setSplits(counts),
      () => !cancelled && setSplits('error'),
    );
    return () => {
      cancelled = true;
    };
  }, [studio, form.corpusId]);

  const candidates = modelsForCorpus(models, form.corpusId);
  const validation = validateCompareForm(form, models);
  const errors = validation.ok ? {} : validation.errors;
  const errorOf = (field: CompareField): string | undefined => (submitted || touched.has(field) ? errors[field] : undefined);
  const change = (changes: Partial<CompareForm>, field?: CompareField) => {
    setForm((current) => ({ ...current, ...changes }));
    if (field) setTouched((current) => new Set(current).add(field));
    setServerError(null);
  };
  const emptySplit = splits !== null && splits !== 'error' && splits[form.referenceSplit] === 0;

  const start = async () => {
    setSubmitted(true);
    if (!validation.ok || busy) return;
    setBusy(true);
    setServerError(null);
    const outcome = await library.create(validation.input);
    setBusy(false);
    if (outcome.ok) onClose();
    else setServerError(outcome.error);
  };

  return (
    <Modal
      title="New comparison"
      onClose={() => {
        if (!busy) onClose();
      }}
      className="modal-wide compare-dialog"
      testId="compare-dialog"
      footer={
        <>
          {serverError ? (
            <p className="dialog-error" role="alert" data-testid="compare-error">
              <AlertIcon size={14} /> {serverError}
            </p>
          ) : submitted && !validation.ok ? (
            <p className="dialog-error" role="alert" data-testid="compare-error">
              <AlertIcon size={14} /> Fix the highlighted fields first.
            </p>
          ) : (
            <span className="footer-spacer compare-dialog-summary muted">{validation.ok ? describeRequest(validation.input) : ''}</span>
          )}
          <button type="button" className="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="button" className="button button-primary" onClick={() => void start()} disabled={busy} data-testid="compare-start">
            <PlayIcon size={13} /> {busy ? 'Starting…' : 'Compare'}
          </button>
        </>
      }
    >
      <form
        className="compare-form"
        onSubmit={(event) => {
          event.preventDefault();
          void start();
        }}
      >
        <Field label="Corpus" htmlFor={ids.corpus} error={errorOf('corpusId')}>
          <select
            id={ids.corpus}
            value={form.corpusId ?? ''}
            disabled={busy}
            data-testid="compare-corpus"
            onChange={(event) => {
              const corpusId = event.target.value === '' ? null : Number(event.target.value);
              const ready = modelsForCorpus(models, corpusId).filter((model) => eligibility(model).ok);
              change({ corpusId, modelIds: ready.map((model) => model.id).slice(0, COMPARE_LIMITS.models.max) }, 'corpusId');
            }}
          >
            {corpora.length === 0 ? <option value="">No corpora: import one in the Library</option> : null}
            {corpora.map((corpus) => {
              const ready = modelsForCorpus(models, corpus.id).filter((model) => eligibility(model).ok).length;
              return (
                <option key={corpus.id} value={corpus.id}>
                  {corpus.name} — {ready === 0 ? 'no trained models' : `${ready} trained model${ready === 1 ? '' : 's'}`}
                </option>
              );
            })}
          </select>
        </Field>

        <Field
          label="Models"
          error={errorOf('modelIds')}
          labelExtra={
            candidates.some((model) => eligibility(model).ok) ? (
              <button
                type="button"
                className="link-button quiet-link"
                onClick={() => {
                  const ready = candidates.filter((model) => eligibility(model).ok).map((model) => model.id);
                  const all = ready.every((id) => form.modelIds.includes(id));
                  change({ modelIds: all ? [] : ready.slice(0, COMPARE_LIMITS.models.max) }, 'modelIds');
                }}
              >
                {candidates.filter((model) => eligibility(model).ok).every((model) => form.modelIds.includes(model.id)) ? 'None' : 'All'}
              </button>
            ) : null
          }
        >
          <ul className="compare-model-options" aria-label="Models to compare">
            {candidates.length === 0 ? <li className="compare-model-empty muted">No models are trained on this corpus yet: train some in the Models view.</li> : null}
            {candidates.map((model) => {
              const allowed = eligibility(model);
              const checked = form.modelIds.includes(model.id);
              return (
                <li key={model.id}>
                  <label className={`compare-model-option${allowed.ok ? '' : ' is-disabled'}${checked ? ' is-checked' : ''}`} data-testid="compare-model-option" data-model-id={model.id}>
                    <input
                      type="checkbox"
                      checked={checked && allowed.ok}
                      disabled={!allowed.ok || busy}
                      onChange={(event) => change({ modelIds: toggleModel(form.modelIds, model.id, event.target.checked) }, 'modelIds')}
                    />
                    <span className="compare-model-name" title={model.name}>
                      {model.name}
                    </span>
                    <span className="kind-badge">
                      <span className="kind-family">{familyLabel(model.family)}</span>
                      <span className="kind-representation">{model.representation}</span>
                    </span>
                    <span className="compare-model-meta">
                      {allowed.ok ? (
                        <>
                          {formatCount(model.iterations)} it · held-out {formatLogLikelihood(model.validLogLikelihoodPerToken, 2)}
                        </>
                      ) : (
                        <span className={`status-pill status-pill-${model.status}`}>{model.status === 'training' ? STATUS_LABEL.training : allowed.reason}</span>
                      )}
                    </span>
                  </label>
                </li>
              );
            })}
          </ul>
        </Field>

        <div className="compare-form-row">
          <Field label="Samples per model" htmlFor={ids.samples} error={errorOf('samples')} hint={`${COMPARE_LIMITS.samples.min}–${COMPARE_LIMITS.samples.max}`}>
            <input
              id={ids.samples}
              type="number"
              inputMode="numeric"
              min={COMPARE_LIMITS.samples.min}
              max={COMPARE_LIMITS.samples.max}
              value={form.samples}
              aria-invalid={errorOf('samples') !== undefined}
              onChange={(event) => change({ samples: event.target.value }, 'samples')}
              data-testid="compare-samples"
            />
          </Field>
          <Field label="Length" htmlFor={ids.length} error={errorOf('lengthValue')} hint="Every sample the same length">
            <div className="input-with-unit">
              <input
                id={ids.length}
                type="number"
                inputMode="numeric"
                min={COMPARE_LIMITS.length.min}
                max={COMPARE_LIMITS.length.max}
                value={form.lengthValue}
                aria-invalid={errorOf('lengthValue') !== undefined}
                onChange={(event) => change({ lengthValue: event.target.value }, 'lengthValue')}
                data-testid="compare-length"
              />
              <div className="segmented" role="radiogroup" aria-label="Length unit" data-testid="compare-length-unit">
                {(['bars', 'steps'] as const).map((unit) => (
                  <button
                    key={unit}
                    type="button"
                    role="radio"
                    aria-checked={form.lengthUnit === unit}
                    className={`segment${form.lengthUnit === unit ? ' is-active' : ''}`}
                    data-value={unit}
                    onClick={() => change({ lengthUnit: unit })}
                  >
                    {unit === 'bars' ? 'Bars' : 'Steps'}
                  </button>
                ))}
              </div>
            </div>
          </Field>
          <Field label="Seed" htmlFor={ids.seed} error={errorOf('seed')} hint="Sample k uses seed + k">
            <div className="seed-row">
              <input
                id={ids.seed}
                type="text"
                inputMode="numeric"
                value={form.seed}
                aria-invalid={errorOf('seed') !== undefined}
                onChange={(event) => change({ seed: event.target.value }, 'seed')}
                data-testid="compare-seed"
              />
              <button type="button" className="button" title="A random seed" onClick={() => change({ seed: String(randomSeed()) }, 'seed')}>
                <DiceIcon size={14} />
              </button>
            </div>
          </Field>
        </div>

        <Field
          label="Reference split"
          hint={
            emptySplit ? (
              <span className="field-warning">The {form.referenceSplit} split of this corpus is empty: choose another.</span>
            ) : (
              'Models are scored on it (held-out NLL) and their samples measured against it.'
            )
          }
        >
          <div className="segmented segmented-fill" role="radiogroup" aria-label="Reference split" data-testid="compare-split">
            {SPLITS.map(({ split, label }) => (
              <button
                key={split}
                type="button"
                role="radio"
                aria-checked={form.referenceSplit === split}
                className={`segment${form.referenceSplit === split ? ' is-active' : ''}`}
                data-value={split}
                onClick={() => change({ referenceSplit: split })}
              >
                <span className={`split-dot split-dot-${split}`} aria-hidden="true" />
                {label}
                <span className="segment-count">{splits === null || splits === 'error' ? '' : formatCount(splits[split])}</span>
              </button>
            ))}
          </div>
        </Field>
      </form>
    </Modal>
  );
}

interface FieldProps {
  readonly label: string;
  readonly htmlFor?: string;
  readonly error?: string;
  readonly hint?: ReactNode;
  readonly labelExtra?: ReactNode;
  readonly children: ReactNode;
}

function Field({ label, htmlFor, error, hint, labelExtra, children }: FieldProps) {
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <div className="field-label-row">
        {htmlFor ? <label htmlFor={htmlFor}>{label}</label> : <span className="field-label">{label}</span>}
        {labelExtra}
      </div>
      {children}
      {error ? (
        <span className="field-hint field-error" role="alert">
          {error}
        </span>
      ) : hint ? (
        <span className="field-hint">{hint}</span>
      ) : null}
    </div>
  );
}
