/**
 * "Train model…": the corpus (with its train/valid counts), the family (HMM, LSTM, transformer,
 * polyphonic RNN-NADE), and that family's settings (the HMM's representation and Baum-Welch settings;
 * a neural or polyphonic model's shape and training). Fields are checked as they are typed, with the schema's limits; what main
 * refuses (an empty train split, a window longer than every piece) is shown in the dialog, which
 * stays open so it can be fixed.
 */
import { useEffect, useId, useMemo, useState } from 'react';
import type { ModelFamily, SplitCounts } from '../../../../core/ipc/schemas';
import { defaultModelName } from '../../../../core/models/hmm-studio/naming';
import { defaultNeuralModelName } from '../../../../core/models/neural-studio/settings';
import { AlertIcon, DiceIcon, InfoIcon, PlayIcon } from '../../components/icons';
import { Modal } from '../../components/Modal';
import { formatCount } from '../../lib/format';
import { useModel, useStudio } from '../../state/studio-context';
import { Field } from './Field';
import { FAMILY_LONG_LABEL } from './model-format';
import { defaultRlTrainForm, noStartModelAdvice, RL_EXPLANATION, RL_FIELDS, startModelChoices, validateRlTrainForm, type RlTrainForm } from './rl-train-form';
import { RlStartFields } from './RlStartFields';
import { SettingsFields } from './SettingsFields';
import { defaultVaeTrainForm, vaePlaceholderName, VAE_EXPLANATION, VAE_FIELDS, validateVaeTrainForm, type VaeTrainForm } from './vae-train-form';
import './model-uses.css';
import {
  defaultNeuralTrainForm,
  FAMILY_EXPLANATION,
  validateNeuralTrainForm,
  type NeuralFamilyChoice,
  type NeuralField,
  type NeuralTrainForm,
} from './neural-train-form';
import { NeuralTrainFields } from './NeuralTrainFields';
import {
  defaultPolyphonicModelName,
  defaultPolyphonicTrainForm,
  POLYPHONIC_EXPLANATION,
  validatePolyphonicTrainForm,
  type PolyphonicField,
  type PolyphonicTrainForm,
} from './polyphonic-train-form';
import { PolyphonicTrainFields } from './PolyphonicTrainFields';
import {
  defaultTrainForm,
  initsFor,
  NO_UNIFORM_START,
  randomSeed,
  REPRESENTATIONS,
  TRAIN_LIMITS,
  usesResolution,
  validateTrainForm,
  withRepresentation,
  type TrainField,
  type TrainForm,
} from './train-form';

export interface TrainDialogProps {
  /** The corpus to preselect (e.g. the one open in the library). */
  readonly initialCorpusId: number | null;
  /** `started`: a training run was started (the caller shows the jobs). */
  readonly onClose: (started: boolean) => void;
}

type SplitsByCorpus = Readonly<Record<number, SplitCounts | 'error'>>;

const FAMILIES: readonly ModelFamily[] = ['hmm', 'lstm', 'transformer', 'polyphonic', 'vae', 'rl'];

type AnyField = TrainField | NeuralField | PolyphonicField | string;

function familyExplanation(family: ModelFamily): string {
  switch (family) {
    case 'polyphonic':
      return POLYPHONIC_EXPLANATION;
    case 'vae':
      return VAE_EXPLANATION;
    case 'rl':
      return RL_EXPLANATION;
    default:
      return FAMILY_EXPLANATION[family];
  }
}

export function TrainDialog({ initialCorpusId, onClose }: TrainDialogProps) {
  const studio = useModel();
  const corpora = useStudio((state) => state.corpora);
  const models = useStudio((state) => state.models);
  const [form, setForm] = useState<TrainForm>(() => defaultTrainForm(initialCorpusId ?? corpora[0]?.id ?? null));
  const [family, setFamily] = useState<ModelFamily>('hmm');
  // One form per neural family, so switching back and forth keeps what was typed.
  const [neuralForms, setNeuralForms] = useState<Record<NeuralFamilyChoice, NeuralTrainForm>>(() => ({
    lstm: defaultNeuralTrainForm('lstm'),
    transformer: defaultNeuralTrainForm('transformer'),
  }));
  const [polyphonicForm, setPolyphonicForm] = useState<PolyphonicTrainForm>(defaultPolyphonicTrainForm);
  const [vaeForm, setVaeForm] = useState<VaeTrainForm>(defaultVaeTrainForm);
  const [rlForm, setRlForm] = useState<RlTrainForm>(() => defaultRlTrainForm(models));
  const [touched, setTouched] = useState<ReadonlySet<AnyField>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<string | null>(null);
  const [splits, setSplits] = useState<SplitsByCorpus>({});
  const ids = {
    corpus: useId(),
    name: useId(),
    states: useId(),
    iterations: useId(),
    tolerance: useId(),
    seed: useId(),
    resolution: useId(),
  };

  // The counts of every corpus, for the options and the hint under the select.
  const corpusIds = useMemo(() => corpora.map((corpus) => corpus.id).join(','), [corpora]);
  useEffect(() => {
    let cancelled = false;
    for (const id of corpusIds === '' ? [] : corpusIds.split(',').map(Number)) {
      studio.models.splits(id).then(
        (counts) => !cancelled && setSplits((current) => ({ ...current, [id]: counts })),
        () => !cancelled && setSplits((current) => ({ ...current, [id]: 'error' })),
      );
    }
    return () => {
      cancelled = true;
    };
  }, [studio, corpusIds]);

  const neuralForm = family === 'lstm' || family === 'transformer' ? neuralForms[family] : null;
  const neuralValidation = neuralForm ? validateNeuralTrainForm(neuralForm, { corpusId: form.corpusId, name: form.name }) : null;
  const polyphonicValidation = family === 'polyphonic' ? validatePolyphonicTrainForm(polyphonicForm, { corpusId: form.corpusId, name: form.name }) : null;
  const vaeValidation = family === 'vae' ? validateVaeTrainForm(vaeForm, { corpusId: form.corpusId, name: form.name }) : null;
  const rlValidation = family === 'rl' ? validateRlTrainForm(rlForm, { corpusId: form.corpusId, name: form.name }) : null;
  const validation = neuralValidation ?? polyphonicValidation ?? vaeValidation ?? rlValidation ?? validateTrainForm(form);
  const errors: Partial<Record<AnyField, string>> = validation.ok ? {} : validation.errors;
  const errorOf = (field: AnyField): string | undefined => (submitted || touched.has(field) ? errors[field] : undefined);
  const change = (changes: Partial<TrainForm>, field?: TrainField) => {
    setForm((current) => ({ ...current, ...changes }));
    if (field) setTouched((current) => new Set(current).add(field));
    setServerError(null);
  };
  const changeNeural = (changes: Partial<NeuralTrainForm>, field?: NeuralField) => {
    if (family !== 'lstm' && family !== 'transformer') return;
    setNeuralForms((current) => ({
      ...current,
      [family]: { ...current[family], ...changes },
    }));
    if (field) setTouched((current) => new Set(current).add(field));
    setServerError(null);
  };
  const changePolyphonic = (changes: Partial<PolyphonicTrainForm>, field?: PolyphonicField) => {
    setPolyphonicForm((current) => ({ ...current, ...changes }));
    if (field) setTouched((current) => new Set(current).add(field));
    setServerError(null);
  };
  const changeVae = (changes: Partial<VaeTrainForm>, field?: string) => {
    setVaeForm((current) => ({ ...current, ...changes }));
    if (field) setTouched((current) => new Set(current).add(field));
    setServerError(null);
  };
  const changeRl = (changes: Partial<RlTrainForm>, field?: string) => {
    setRlForm((current) => ({ ...current, ...changes }));
    if (field) setTouched((current) => new Set(current).add(field));
    setServerError(null);
  };
  const startModels = startModelChoices(models);
  const startModel = startModels.find((model) => model.id === rlForm.startModelId);
  const selectedSplits = form.corpusId === null ? undefined : splits[form.corpusId];

  const start = async () => {
    setSubmitted(true);
    if (!validation.ok || busy) return;
    setBusy(true);
    setServerError(null);
    const outcome = await studio.models.train(validation.input);
    setBusy(false);
    if (outcome.ok) onClose(true);
    else setServerError(outcome.error);
  };

  const states = Number(form.states);
  const placeholderName =
    family === 'vae'
      ? vaeValidation?.ok
        ? vaePlaceholderName(vaeValidation.input.settings)
        : 'Named after its settings'
      : family === 'rl'
        ? startModel
          ? `RL-tuned “${startModel.name}”`
          : 'Named after its start model'
        : family === 'polyphonic'
      ? polyphonicValidation?.ok
        ? defaultPolyphonicModelName(polyphonicValidation.settings)
        : 'Named after its settings'
      : family !== 'hmm'
      ? neuralValidation?.ok
        ? defaultNeuralModelName(neuralValidation.settings)
        : 'Named after its settings'
      : Number.isInteger(states) && states > 0
        ? defaultModelName({ states, representation: form.representation })
        : 'Named after its settings';

  return (
    <Modal
      title="Train a model"
      onClose={() => {
        if (!busy) onClose(false);
      }}
      className="modal-wide"
      testId="train-dialog"
      footer={
        <>
          {serverError ? (
            <p className="dialog-error" role="alert" data-testid="train-error">
              <AlertIcon size={14} /> {serverError}
            </p>
          ) : submitted && !validation.ok ? (
            <p className="dialog-error" role="alert" data-testid="train-error">
              <AlertIcon size={14} /> Fix the highlighted fields first.
            </p>
          ) : (
            <span className="footer-spacer" />
          )}
          <button type="button" className="button" onClick={() => onClose(false)} disabled={busy}>
            Cancel
          </button>
          <button type="button" className="button button-primary" onClick={() => void start()} disabled={busy || corpora.length === 0 || (family === 'rl' && startModels.length === 0)} data-testid="train-start">
            <PlayIcon size={13} /> {busy ? 'Starting…' : 'Start training'}
          </button>
        </>
      }
    >
      <form
        className="train-form"
        onSubmit={(event) => {
          event.preventDefault();
          void start();
        }}
      >
        <div className="form-grid">
          <Field label="Corpus" htmlFor={ids.corpus} error={errorOf('corpusId')} wide hint={<SplitHint splits={selectedSplits} />}>
            <select
              id={ids.corpus}
              value={form.corpusId ?? ''}
              onChange={(event) =>
                change(
                  {
                    corpusId: event.target.value === '' ? null : Number(event.target.value),
                  },
                  'corpusId',
                )
              }
              data-testid="train-corpus"
              disabled={busy}
            >
              {corpora.length === 0 ? <option value="">No corpora: import one in the Library</option> : null}
              {corpora.map((corpus) => {
                const counts = splits[corpus.id];
                const detail =
                  counts === undefined || counts === 'error'
                    ? `${formatCount(corpus.pieceCount)} pieces`
                    : `train ${formatCount(counts.train)} · valid ${formatCount(counts.valid)}`;
                return (
                  <option key={corpus.id} value={corpus.id}>
                    {corpus.name} — {detail}
                  </option>
                );
              })}
            </select>
          </Field>

          <Field label="Family" wide hint={familyExplanation(family)}>
            <div className="segmented" role="radiogroup" aria-label="Model family" data-testid="train-family">
              {FAMILIES.map((option) => (
                <button
                  key={option}
                  type="button"
                  role="radio"
                  aria-checked={family === option}
                  className={`segment${family === option ? ' is-active' : ''}`}
                  data-value={option}
                  disabled={busy}
                  onClick={() => {
                    setFamily(option);
                    setServerError(null);
                  }}
                >
                  {FAMILY_LONG_LABEL[option]}
                </button>
              ))}
            </div>
          </Field>

          {neuralForm ? (
            <Field
              label="Representation"
              wide
              hint={
                neuralForm.family === 'lstm'
                  ? 'Notes: pitch, step from the previous onset and duration in seconds, velocity.'
                  : 'MIDI-like events: note-on, note-off, time-shift and velocity (388 tokens), as the event HMM reads them.'
              }
            >
              <div className="segmented segmented-fill" role="radiogroup" aria-label="Representation" data-testid="train-representation">
                <button
                  type="button"
                  role="radio"
                  aria-checked="true"
                  className="segment is-active"
                  data-value={neuralForm.family === 'lstm' ? 'note-steps' : 'event'}
                >
                  {neuralForm.family === 'lstm' ? 'Note steps' : 'Event'}
                </button>
              </div>
            </Field>
          ) : null}

          {neuralForm ? <NeuralTrainFields form={neuralForm} errorOf={errorOf} change={changeNeural} busy={busy} /> : null}

          {family === 'polyphonic' ? <PolyphonicTrainFields form={polyphonicForm} errorOf={errorOf} change={changePolyphonic} busy={busy} /> : null}

          {family === 'vae' ? (
            <>
              <Field label="Decoder" wide hint={vaeForm.hierarchical ? 'A conductor LSTM makes one embedding per bar; a bar decoder plays each bar (MusicVAE’s long models, against posterior collapse).' : 'One flat LSTM decoder over the whole segment (MusicVAE’s 2-bar models).'}>
                <div className="segmented segmented-fill" role="radiogroup" aria-label="Decoder" data-testid="train-vae-hierarchical">
                  {[true, false].map((value) => (
                    <button
                      key={String(value)}
                      type="button"
                      role="radio"
                      aria-checked={vaeForm.hierarchical === value}
                      className={`segment${vaeForm.hierarchical === value ? ' is-active' : ''}`}
                      data-value={value ? 'hierarchical' : 'flat'}
                      disabled={busy}
                      onClick={() => changeVae({ hierarchical: value })}
                    >
                      {value ? 'Hierarchical (conductor)' : 'Flat'}
                    </button>
                  ))}
                </div>
              </Field>
              <SettingsFields
                specs={VAE_FIELDS}
                texts={vaeForm.texts}
                errorOf={errorOf}
                change={(key, text) => changeVae({ texts: { ...vaeForm.texts, [key]: text } }, key)}
                busy={busy}
                testPrefix="train-vae"
              />
            </>
          ) : null}

          {family === 'rl' ? (
            <>
              <RlStartFields
                form={rlForm}
                choices={startModels}
                advice={noStartModelAdvice(models)}
                error={errorOf('startModelId')}
                busy={busy}
                onStartModel={(id) => {
                  changeRl({ startModelId: id }, 'startModelId');
                  // The discriminator's real phrases usually come from the corpus the LSTM learned.
                  const chosen = startModels.find((model) => model.id === id);
                  if (chosen) change({ corpusId: chosen.corpusId });
                }}
                onBaseline={(baseline) => changeRl({ baseline })}
              />
              <SettingsFields
                specs={RL_FIELDS}
                texts={rlForm.texts}
                errorOf={errorOf}
                change={(key, text) => changeRl({ texts: { ...rlForm.texts, [key]: text } }, key)}
                busy={busy}
                testPrefix="train-rl"
              />
            </>
          ) : null}

          {neuralForm || family === 'polyphonic' || family === 'vae' || family === 'rl' ? null : (
            <>
              <Field label="Representation" wide hint={REPRESENTATIONS.find((option) => option.value === form.representation)?.explanation}>
                <div className="segmented segmented-fill" role="radiogroup" aria-label="Representation" data-testid="train-representation">
                  {REPRESENTATIONS.map((option) => (
                    <button
                      key={option.value}
                      type="button"
                      role="radio"
                      aria-checked={form.representation === option.value}
                      className={`segment${form.representation === option.value ? ' is-active' : ''}`}
                      data-value={option.value}
                      title={option.explanation}
                      disabled={busy}
                      onClick={() => change(withRepresentation(form, option.value))}
                    >
                      {option.label}
                    </button>
                  ))}
                </div>
              </Field>

              <Field label="Hidden states" htmlFor={ids.states} error={errorOf('states')} hint={`${TRAIN_LIMITS.states.min}–${TRAIN_LIMITS.states.max}`}>
                <input
                  id={ids.states}
                  type="number"
                  inputMode="numeric"
                  min={TRAIN_LIMITS.states.min}
                  max={TRAIN_LIMITS.states.max}
                  value={form.states}
                  aria-invalid={errorOf('states') !== undefined}
                  onChange={(event) => change({ states: event.target.value }, 'states')}
                  data-testid="train-states"
                />
              </Field>

              <Field label="Max iterations" htmlFor={ids.iterations} error={errorOf('maxIterations')} hint="Stops earlier when it converges">
                <input
                  id={ids.iterations}
                  type="number"
                  inputMode="numeric"
                  min={TRAIN_LIMITS.maxIterations.min}
                  max={TRAIN_LIMITS.maxIterations.max}
                  value={form.maxIterations}
                  aria-invalid={errorOf('maxIterations') !== undefined}
                  onChange={(event) => change({ maxIterations: event.target.value }, 'maxIterations')}
                  data-testid="train-iterations"
                />
              </Field>

              <Field label="Tolerance" htmlFor={ids.tolerance} error={errorOf('tolerance')} hint="Stop when LL improves less">
                <input
                  id={ids.tolerance}
                  type="text"
                  inputMode="decimal"
                  value={form.tolerance}
                  spellCheck={false}
                  aria-invalid={errorOf('tolerance') !== undefined}
                  onChange={(event) => change({ tolerance: event.target.value }, 'tolerance')}
                  data-testid="train-tolerance"
                />
              </Field>

              <Field
                label="Initialisation"
                wide
                error={errorOf('init')}
                labelExtra={
                  <span className="info-tip" title={NO_UNIFORM_START} aria-label={NO_UNIFORM_START} tabIndex={0} data-testid="train-init-tip">
                    <InfoIcon size={12} /> Why no uniform start?
                  </span>
                }
                hint={initsFor(form.representation).find((option) => option.value === form.init)?.explanation}
              >
                <div className="segmented segmented-fill" role="radiogroup" aria-label="Initialisation" data-testid="train-init">
                  {initsFor(form.representation).map((option) => (
                    <button
                      key={option.value}
                      type="button"
                      role="radio"
                      aria-checked={form.init === option.value}
                      className={`segment${form.init === option.value ? ' is-active' : ''}`}
                      data-value={option.value}
                      title={option.explanation}
                      disabled={busy}
                      onClick={() => change({ init: option.value }, 'init')}
                    >
                      {option.label}
                    </button>
                  ))}
                </div>
              </Field>

              <Field label="Seed" htmlFor={ids.seed} error={errorOf('seed')} hint="Same seed, same model">
                <div className="seed-row">
                  <input
                    id={ids.seed}
                    type="text"
                    inputMode="numeric"
                    value={form.seed}
                    aria-invalid={errorOf('seed') !== undefined}
                    onChange={(event) => change({ seed: event.target.value }, 'seed')}
                    data-testid="train-seed"
                  />
                  <button type="button" className="button" title="A random seed" onClick={() => change({ seed: String(randomSeed()) }, 'seed')}>
                    <DiceIcon size={14} />
                  </button>
                </div>
              </Field>

              {usesResolution(form.representation) ? (
                <Field label="Resolution" htmlFor={ids.resolution} error={errorOf('resolution')} hint="Steps per quarter note">
                  <input
                    id={ids.resolution}
                    type="number"
                    inputMode="numeric"
                    min={TRAIN_LIMITS.resolution.min}
                    max={TRAIN_LIMITS.resolution.max}
                    value={form.resolution}
                    aria-invalid={errorOf('resolution') !== undefined}
                    onChange={(event) => change({ resolution: event.target.value }, 'resolution')}
                    data-testid="train-resolution"
                  />
                </Field>
              ) : (
                <Field label="Resolution" hint="Not used by note models">
                  <input type="text" value="—" disabled aria-label="Resolution (not used by note models)" />
                </Field>
              )}
            </>
          )}

          <Field label="Name" htmlFor={ids.name} error={errorOf('name')} hint="Optional">
            <input
              id={ids.name}
              type="text"
              value={form.name}
              maxLength={TRAIN_LIMITS.name.max + 20}
              placeholder={placeholderName}
              autoComplete="off"
              spellCheck={false}
              onChange={(event) => change({ name: event.target.value }, 'name')}
              data-testid="train-name"
            />
          </Field>
        </div>
      </form>
    </Modal>
  );
}

function SplitHint({ splits }: { splits: SplitCounts | 'error' | undefined }) {
  if (splits === undefined) return <>Reading the corpus’s splits…</>;
  if (splits === 'error') return <>Could not read the corpus’s splits.</>;
  return (
    <span className="split-hint">
      <span className="split-tag split-train">train {formatCount(splits.train)}</span>
      <span className="split-tag split-valid">valid {formatCount(splits.valid)}</span>
      {splits.train === 0 ? (
        <span className="field-warning">No pieces in the train split: training needs some.</span>
      ) : splits.valid === 0 ? (
        <span className="field-warning">No validation split: no held-out score.</span>
      ) : (
        <span>trains on train, scores on valid</span>
      )}
    </span>
  );
}
