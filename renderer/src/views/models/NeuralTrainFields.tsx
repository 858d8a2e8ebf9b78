/**
 * The Train dialog's fields for an LSTM or a transformer: the model's shape, then how it trains
 * (epochs, batch, learning rate and schedule, early stopping, dropout, augmentation, seed).
 */
import { useId } from 'react';
import { DiceIcon } from '../../components/icons';
import { Field } from './Field';
import { NEURAL_LIMITS, SCHEDULES, type NeuralField, type NeuralTrainForm } from './neural-train-form';
import { randomSeed } from './train-form';

export interface NeuralTrainFieldsProps {
  readonly form: NeuralTrainForm;
  readonly errorOf: (field: NeuralField) => string | undefined;
  readonly change: (changes: Partial<NeuralTrainForm>, field?: NeuralField) => void;
  readonly busy: boolean;
}

interface TextFieldProps extends NeuralTrainFieldsProps {
  readonly field: Exclude<NeuralField, 'corpusId' | 'name'>;
  readonly label: string;
  readonly hint?: string;
  readonly numeric?: 'numeric' | 'decimal';
  readonly testId: string;
}

function TextField({ form, errorOf, change, busy, field, label, hint, numeric = 'numeric', testId }: TextFieldProps) {
  const id = useId();
  return (
    <Field label={label} htmlFor={id} error={errorOf(field)} hint={hint}>
      <input
        id={id}
        type="text"
        inputMode={numeric}
        spellCheck={false}
        value={form[field]}
        disabled={busy}
        aria-invalid={errorOf(field) !== undefined}
        onChange={(event) => change({ [field]: event.target.value } as Partial<NeuralTrainForm>, field)}
        data-testid={testId}
      />
    </Field>
  );
}

export function NeuralTrainFields(props: NeuralTrainFieldsProps) {
  const { form, errorOf, change, busy } = props;
  const seedId = useId();
  const shared = { ...props };
  return (
    <>
      {form.family === 'lstm' ? (
        <>
          <TextField
            {...shared}
            field="windowLength"
            label="Window"
            hint={`Notes per input (${NEURAL_LIMITS.windowLength.min}–${NEURAL_LIMITS.windowLength.max})`}
            testId="train-window"
          />
          <TextField {...shared} field="units" label="LSTM units" hint="Per stacked layer, e.g. 128 or 128, 128" testId="train-units" />
          <TextField {...shared} field="pitchEmbedding" label="Pitch embedding" hint="Size; 0 feeds pitch/128 (the seeds’)" testId="train-embedding" />
          <Field label="Velocity" hint="As an input and a fourth head">
            <div className="segmented segmented-fill" role="radiogroup" aria-label="Learn velocity" data-testid="train-velocity">
              {([true, false] as const).map((on) => (
                <button
                  key={String(on)}
                  type="button"
                  role="radio"
                  aria-checked={form.velocity === on}
                  className={`segment${form.velocity === on ? ' is-active' : ''}`}
                  data-value={on ? 'on' : 'off'}
                  disabled={busy}
                  onClick={() => change({ velocity: on })}
                >
                  {on ? 'Learn it' : 'Ignore it'}
                </button>
              ))}
            </div>
          </Field>
          <TextField {...shared} field="lossPitch" label="Pitch loss weight" numeric="decimal" hint="Seeds: 0.05" testId="train-loss-pitch" />
          <TextField {...shared} field="lossStep" label="Step loss weight" numeric="decimal" testId="train-loss-step" />
          <TextField {...shared} field="lossDuration" label="Duration loss weight" numeric="decimal" testId="train-loss-duration" />
          <TextField {...shared} field="lossVelocity" label="Velocity loss weight" numeric="decimal" testId="train-loss-velocity" />
        </>
      ) : (
        <>
          <TextField {...shared} field="contextLength" label="Context" hint="Event tokens attended to" testId="train-context" />
          <TextField {...shared} field="layers" label="Layers" testId="train-layers" />
          <TextField {...shared} field="heads" label="Heads" testId="train-heads" />
          <TextField {...shared} field="modelSize" label="Model size (d)" hint="A multiple of the heads" testId="train-model-size" />
          <TextField {...shared} field="feedForwardSize" label="Feed-forward size" testId="train-feed-forward" />
          <TextField {...shared} field="resolution" label="Resolution" hint="Steps per quarter note" testId="train-resolution" />
        </>
      )}

      <TextField {...shared} field="epochs" label="Epochs" hint="At most; early stopping may end sooner" testId="train-epochs" />
      <TextField {...shared} field="batchSize" label="Batch size" testId="train-batch" />
      <TextField {...shared} field="learningRate" label="Learning rate" numeric="decimal" hint="Adam’s" testId="train-learning-rate" />
      <Field label="Schedule" wide hint={SCHEDULES.find((option) => option.value === form.schedule)?.explanation}>
        <div className="segmented segmented-fill" role="radiogroup" aria-label="Learning-rate schedule" data-testid="train-schedule">
          {SCHEDULES.map((option) => (
            <button
              key={option.value}
              type="button"
              role="radio"
              aria-checked={form.schedule === option.value}
              className={`segment${form.schedule === option.value ? ' is-active' : ''}`}
              data-value={option.value}
              title={option.explanation}
              disabled={busy}
              onClick={() => change({ schedule: option.value })}
            >
              {option.label}
            </button>
          ))}
        </div>
      </Field>
      <TextField {...shared} field="patience" label="Patience" hint="Epochs without a better validation loss before stopping; 0: never" testId="train-patience" />
      <TextField {...shared} field="dropout" label="Dropout" numeric="decimal" hint="0 to 0.9" testId="train-dropout" />
      <TextField {...shared} field="transpose" label="Transpose ±" hint="Augmentation, semitones (0: off)" testId="train-transpose" />
      {form.family === 'lstm' ? (
        <TextField
          {...shared}
          field="timeStretch"
          label="Time-stretch ±"
          numeric="decimal"
          hint="Augmentation, e.g. 0.1 for ±10% (0: off)"
          testId="train-time-stretch"
        />
      ) : null}
      <Field label="Seed" htmlFor={seedId} error={errorOf('seed')} hint="Same seed, same model">
        <div className="seed-row">
          <input
            id={seedId}
            type="text"
            inputMode="numeric"
            value={form.seed}
            disabled={busy}
            aria-invalid={errorOf('seed') !== undefined}
            onChange={(event) => change({ seed: event.target.value }, 'seed')}
            data-testid="train-seed"
          />
          <button type="button" className="button" title="A random seed" disabled={busy} onClick={() => change({ seed: String(randomSeed()) }, 'seed')}>
            <DiceIcon size={14} />
          </button>
        </div>
      </Field>
    </>
  );
}
