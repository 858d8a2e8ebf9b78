/**
 * "Generate": sample new clips from the selected model: how many, how long (bars or steps), how
 * adventurous (temperature: one, or for an HMM one each for the initial state, transitions and
 * emissions), an optional seed, and for an LSTM or a transformer top-k, top-p and a primer clip to
 * continue. A polyphonic model continues polyphonically: an optional primer clip, the length, the
 * variations, one temperature and the seed (it has no top-k or top-p; harmonize and infill live in
 * the editor, on a selection). The request runs as a job; its progress and outcome show here, the clips below (each
 * clip appears as soon as it is made).
 */
import { useId, useState } from 'react';
import { isVaeSettings, type Job, type ModelSummary } from '../../../../core/ipc/schemas';
import { DiceIcon, SparkIcon } from '../../components/icons';
import { ProgressBar } from '../../components/ProgressBar';
import { plural } from '../../lib/format';
import { useModel, useStudio } from '../../state/studio-context';
import {
  DEFAULT_GENERATE_FORM,
  describeTemperature,
  formatTemperature,
  GENERATE_LIMITS,
  lengthHint,
  validateGenerateForm,
  type GenerateForm,
  type LengthUnit,
} from './generate-form';
import { canGenerate, isNeuralModel, isPolyphonicModel, isRlModel, isVaeModel, stepNoun } from './model-format';
import { describeSegment } from './vae-train-form';
import { randomSeed } from './train-form';

const UNITS: readonly { readonly unit: LengthUnit; readonly label: string }[] = [
  { unit: 'bars', label: 'Bars' },
  { unit: 'steps', label: 'Steps' },
];

export function GeneratePanel({ model }: { model: ModelSummary }) {
  const studio = useModel();
  const [form, setForm] = useState<GenerateForm>(DEFAULT_GENERATE_FORM);
  const [starting, setStarting] = useState(false);
  const jobId = useStudio((state) => state.generateJobs[model.id] ?? null);
  const job = useStudio((state) => (jobId === null ? undefined : state.jobs.find((candidate) => candidate.id === jobId)));
  const ids = {
    count: useId(),
    length: useId(),
    temperature: useId(),
    seed: useId(),
    topK: useId(),
    topP: useId(),
    primer: useId(),
  };
  // An RL tuner's policy is an LSTM: it generates exactly as one.
  const neural = isNeuralModel(model) || isRlModel(model);
  const polyphonic = isPolyphonicModel(model);
  const vae = isVaeModel(model);
  const clips = useStudio((state) => state.clips);
  const validation = validateGenerateForm(form, model.id, { neural, polyphonic, vae });
  const errors = validation.ok ? {} : validation.errors;
  const ready = canGenerate(model);
  const running = job !== undefined && (job.status === 'queued' || job.status === 'running');
  const change = (changes: Partial<GenerateForm>) => setForm((current) => ({ ...current, ...changes }));

  const start = async () => {
    if (!validation.ok || !ready || starting) return;
    setStarting(true);
    await studio.models.generate(validation.input);
    setStarting(false);
  };

  return (
    <section className="card generate-card" aria-label={polyphonic ? 'Continue polyphonically' : 'Generate'} data-testid="generate-panel" data-mode={polyphonic ? 'continue' : vae ? 'sample' : 'generate'}>
      <header className="card-header">
        <span className="card-title">
          <SparkIcon size={14} /> {polyphonic ? 'Continue' : vae ? 'Sample' : 'Generate'}
        </span>
        <span className="card-subtitle">
          {polyphonic ? 'polyphonic continuation: each variation a new clip' : vae ? 'new segments from the prior: each a new clip' : 'new clips sampled from this model'}
        </span>
      </header>
      <form
        className="generate-form"
        onSubmit={(event) => {
          event.preventDefault();
          void start();
        }}
      >
        <div className="form-row">
          <div className="field field-count">
            <label htmlFor={ids.count}>{polyphonic ? 'Variations' : 'Clips'}</label>
            <input
              id={ids.count}
              type="number"
              inputMode="numeric"
              min={GENERATE_LIMITS.count.min}
              max={GENERATE_LIMITS.count.max}
              value={form.count}
              aria-invalid={errors.count !== undefined}
              onChange={(event) => change({ count: event.target.value })}
              data-testid="generate-count"
            />
          </div>
          {vae ? null : (
          <div className="field field-grow">
            <label htmlFor={ids.length}>Length</label>
            <div className="input-with-unit">
              <input
                id={ids.length}
                type="number"
                inputMode="numeric"
                min={GENERATE_LIMITS.length.min}
                max={GENERATE_LIMITS.length.max}
                value={form.lengthValue}
                aria-invalid={errors.lengthValue !== undefined}
                onChange={(event) => change({ lengthValue: event.target.value })}
                data-testid="generate-length"
              />
              <div className="segmented" role="radiogroup" aria-label="Length unit" data-testid="generate-length-unit">
                {UNITS.map(({ unit, label }) => (
                  <button
                    key={unit}
                    type="button"
                    role="radio"
                    aria-checked={form.lengthUnit === unit}
                    className={`segment${form.lengthUnit === unit ? ' is-active' : ''}`}
                    data-value={unit}
                    onClick={() => change({ lengthUnit: unit })}
                  >
                    {label}
                  </button>
                ))}
              </div>
            </div>
          </div>
          )}
        </div>
        {vae && !errors.count ? (
          <p className="field-hint" data-testid="generate-vae-length">
            {isVaeSettings(model.settings) ? `Each sample is the model’s segment: ${describeSegment(model.settings)}. No primer: a VAE samples its latent code from the prior.` : 'Each sample is the model’s segment.'}
          </p>
        ) : errors.count || errors.lengthValue ? (
          <p className="field-hint field-error" role="alert">
            {errors.count ?? errors.lengthValue}
          </p>
        ) : (
          <p className="field-hint">{lengthHint(model.representation, form.lengthUnit, 'resolution' in model.settings ? model.settings.resolution : 4)}</p>
        )}

        <div className="field">
          <div className="field-label-row">
            <label htmlFor={ids.temperature}>
              {neural ? `Temperature of the ${model.family === 'transformer' ? 'next event' : 'pitch'}` : polyphonic ? 'Temperature of each step’s chord' : vae ? 'Temperature of the decoder' : 'Temperature'}
            </label>
            {neural || polyphonic || vae ? null : (
              <button
                type="button"
                className="link-button quiet-link"
                aria-expanded={form.advanced}
                onClick={() => change({ advanced: !form.advanced })}
                data-testid="generate-advanced"
              >
                {form.advanced ? 'One for all' : 'Advanced'}
              </button>
            )}
          </div>
          {form.advanced && !neural && !polyphonic && !vae ? (
            <div className="temperature-grid">
              <TemperatureSlider label="Initial state" value={form.initial} onChange={(initial) => change({ initial })} testId="generate-temperature-initial" />
              <TemperatureSlider
                label="Transitions"
                value={form.transition}
                onChange={(transition) => change({ transition })}
                testId="generate-temperature-transition"
              />
              <TemperatureSlider label="Emissions" value={form.emission} onChange={(emission) => change({ emission })} testId="generate-temperature-emission" />
            </div>
          ) : (
            <TemperatureSlider
              id={ids.temperature}
              value={form.temperature}
              onChange={(temperature) => change({ temperature })}
              testId="generate-temperature"
              describe
              min={polyphonic || vae ? GENERATE_LIMITS.temperature.step : undefined}
            />
          )}
          {errors.temperature ? (
            <span className="field-hint field-error" role="alert">
              {errors.temperature}
            </span>
          ) : null}
        </div>

        {polyphonic ? (
          <div className="field">
            <label htmlFor={ids.primer}>Primer</label>
            <select
              id={ids.primer}
              value={form.primerClipId ?? ''}
              onChange={(event) => change({ primerClipId: event.target.value === '' ? null : Number(event.target.value) })}
              data-testid="generate-primer"
            >
              <option value="">None: the model’s own start</option>
              {clips.map((clip) => (
                <option key={clip.id} value={clip.id}>
                  {clip.name}
                </option>
              ))}
            </select>
            <span className="field-hint">
              A clip the music continues: each result is the primer and what follows. Harmonize and infill are in the editor, on a selection.
            </span>
          </div>
        ) : null}

        {neural ? (
          <>
            <div className="form-row">
              <div className="field field-grow">
                <label htmlFor={ids.topK}>Top-k</label>
                <input
                  id={ids.topK}
                  type="text"
                  inputMode="numeric"
                  placeholder="off"
                  value={form.topK ?? ''}
                  aria-invalid={errors.topK !== undefined}
                  onChange={(event) => change({ topK: event.target.value })}
                  data-testid="generate-top-k"
                />
              </div>
              <div className="field field-grow">
                <label htmlFor={ids.topP}>Top-p</label>
                <input
                  id={ids.topP}
                  type="text"
                  inputMode="decimal"
                  placeholder="off"
                  value={form.topP ?? ''}
                  aria-invalid={errors.topP !== undefined}
                  onChange={(event) => change({ topP: event.target.value })}
                  data-testid="generate-top-p"
                />
              </div>
            </div>
            {errors.topK || errors.topP ? (
              <p className="field-hint field-error" role="alert">
                {errors.topK ?? errors.topP}
              </p>
            ) : (
              <p className="field-hint">Sample only among the k likeliest, or the likeliest that make up p of the probability. Empty: off.</p>
            )}
            <div className="field">
              <label htmlFor={ids.primer}>Primer</label>
              <select
                id={ids.primer}
                value={form.primerClipId ?? ''}
                onChange={(event) =>
                  change({
                    primerClipId: event.target.value === '' ? null : Number(event.target.value),
                  })
                }
                data-testid="generate-primer"
              >
                <option value="">{model.family === 'transformer' ? 'None: start a new piece' : 'None: start from a train piece’s opening'}</option>
                {clips.map((clip) => (
                  <option key={clip.id} value={clip.id}>
                    {clip.name}
                  </option>
                ))}
              </select>
              <span className="field-hint">A clip the music continues: its notes start each result.</span>
            </div>
          </>
        ) : null}

        <div className="field">
          <label htmlFor={ids.seed}>Seed</label>
          <div className="seed-row">
            <input
              id={ids.seed}
              type="text"
              inputMode="numeric"
              placeholder="random"
              value={form.seed}
              aria-invalid={errors.seed !== undefined}
              onChange={(event) => change({ seed: event.target.value })}
              data-testid="generate-seed"
            />
            <button type="button" className="button" onClick={() => change({ seed: String(randomSeed()) })} title="Pick a seed now, to make these clips again later">
              <DiceIcon size={14} /> Random
            </button>
          </div>
          {errors.seed ? (
            <span className="field-hint field-error" role="alert">
              {errors.seed}
            </span>
          ) : (
            <span className="field-hint">Empty: a new seed each time. Clip k uses seed + k.</span>
          )}
        </div>

        <div className="generate-footer">
          <button
            type="submit"
            className="button button-primary"
            disabled={!validation.ok || !ready || starting}
            data-testid="generate-start"
            title={ready ? undefined : `Train for at least one ${stepNoun(model)} first`}
          >
            <SparkIcon size={14} />{' '}
            {starting
              ? 'Starting…'
              : polyphonic
                ? validation.ok
                  ? `Continue · ${plural(validation.input.count ?? 1, 'variation')}`
                  : 'Continue'
                : vae
                  ? validation.ok
                    ? `Sample ${plural(validation.input.count ?? 1, 'clip')}`
                    : 'Sample'
                : validation.ok
                  ? `Generate ${plural(validation.input.count ?? 1, 'clip')}`
                  : 'Generate'}
          </button>
          <GenerateStatus job={job} running={running} ready={ready} noun={stepNoun(model)} />
        </div>
      </form>
    </section>
  );
}

interface TemperatureSliderProps {
  readonly id?: string;
  /** Above the usual 0 where the model cannot sample greedily. */
  readonly min?: number;
  readonly label?: string;
  readonly value: number;
  readonly onChange: (value: number) => void;
  readonly testId: string;
  readonly describe?: boolean;
}

function TemperatureSlider({ id, label, value, onChange, testId, describe, min: lowest }: TemperatureSliderProps) {
  const { max, step } = GENERATE_LIMITS.temperature;
  const min = lowest ?? GENERATE_LIMITS.temperature.min;
  return (
    <div className="slider-row">
      {label ? <span className="slider-label">{label}</span> : null}
      <input
        id={id}
        type="range"
        min={min}
        max={max}
        step={step}
        value={value}
        aria-label={label ? `${label} temperature` : undefined}
        aria-valuetext={formatTemperature(value)}
        onChange={(event) => onChange(Number(event.target.value))}
        data-testid={testId}
      />
      <span className="slider-value">{value.toFixed(2)}</span>
      {describe ? <span className="slider-description">{describeTemperature(value)}</span> : null}
    </div>
  );
}

function GenerateStatus({ job, running, ready, noun }: { job: Job | undefined; running: boolean; ready: boolean; noun: string }) {
  if (!ready) return <span className="field-hint">Train for at least one {noun} first.</span>;
  if (!job) return null;
  if (running) {
    return (
      <span className="generate-status" data-testid="generate-status" data-status={job.status}>
        <ProgressBar value={job.status === 'queued' ? null : job.progress} label="Generating" />
        <span className="muted small">{job.message || 'Waiting for a worker…'}</span>
      </span>
    );
  }
  if (job.status === 'failed') {
    return (
      <span className="generate-status field-error" role="alert" data-testid="generate-status" data-status={job.status}>
        {job.error ?? 'Generation failed.'}
      </span>
    );
  }
  const made = job.result?.kind === 'generate' ? job.result.clipIds.length : 0;
  return (
    <span className="generate-status result-ok" data-testid="generate-status" data-status={job.status}>
      {job.status === 'cancelled' ? `Cancelled after ${plural(made, 'clip')}.` : `Made ${plural(made, 'clip')}.`}
    </span>
  );
}
