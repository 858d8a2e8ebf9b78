/**
 * The Train dialog's fields for a polyphonic model: the kind (the RNN-NADE joint, or the independent
 * baseline, labelled as such), the grid, the network's shape, then how it trains.
 */
import { useId } from 'react';
import { DiceIcon } from '../../components/icons';
import { Field } from './Field';
import { POLYPHONIC_KINDS, POLYPHONIC_RESOLUTIONS, type PolyphonicField, type PolyphonicTrainForm } from './polyphonic-train-form';
import { randomSeed } from './train-form';

export interface PolyphonicTrainFieldsProps {
  readonly form: PolyphonicTrainForm;
  readonly errorOf: (field: PolyphonicField) => string | undefined;
  readonly change: (changes: Partial<PolyphonicTrainForm>, field?: PolyphonicField) => void;
  readonly busy: boolean;
}

type TextFieldName = Exclude<PolyphonicField, 'corpusId' | 'name' | 'resolution'>;

interface TextFieldProps extends PolyphonicTrainFieldsProps {
  readonly field: TextFieldName;
  readonly label: string;
  readonly hint?: string;
  readonly numeric?: 'numeric' | 'decimal';
  readonly testId: string;
  readonly disabled?: boolean;
}

function TextField({ form, errorOf, change, busy, field, label, hint, numeric = 'numeric', testId, disabled }: TextFieldProps) {
  const id = useId();
  const error = disabled ? undefined : errorOf(field);
  return (
    <Field label={label} htmlFor={id} error={error} hint={hint}>
      <input
        id={id}
        type="text"
        inputMode={numeric}
        spellCheck={false}
        value={form[field]}
        disabled={busy || disabled}
        aria-invalid={error !== undefined}
        onChange={(event) => change({ [field]: event.target.value } as Partial<PolyphonicTrainForm>, field)}
        data-testid={testId}
      />
    </Field>
  );
}

export function PolyphonicTrainFields(props: PolyphonicTrainFieldsProps) {
  const { form, errorOf, change, busy } = props;
  const seedId = useId();
  const kind = POLYPHONIC_KINDS.find((option) => option.value === form.kind);
  const resolution = POLYPHONIC_RESOLUTIONS.find((option) => option.value === form.resolution);
  const baseline = form.kind === 'rnn-bernoulli';
  return (
    <>
      <Field label="Representation" wide hint="Piano roll: the set of pitches sounding at each grid step (multi-hot over the corpus’s pitch range).">
        <div className="segmented segmented-fill" role="radiogroup" aria-label="Representation" data-testid="train-representation">
          <button type="button" role="radio" aria-checked="true" className="segment is-active" data-value="pianoroll">
            Piano roll
          </button>
        </div>
      </Field>
      <Field label="Kind" wide hint={kind?.explanation}>
        <div className="segmented segmented-fill" role="radiogroup" aria-label="Polyphonic model kind" data-testid="train-poly-kind">
          {POLYPHONIC_KINDS.map((option) => (
            <button
              key={option.value}
              type="button"
              role="radio"
              aria-checked={form.kind === option.value}
              className={`segment${form.kind === option.value ? ' is-active' : ''}`}
              data-value={option.value}
              title={option.explanation}
              disabled={busy}
              onClick={() => change({ kind: option.value })}
            >
              {option.label}
            </button>
          ))}
        </div>
      </Field>
      <Field label="Resolution" wide hint={resolution?.explanation} error={errorOf('resolution')}>
        <div className="segmented segmented-fill" role="radiogroup" aria-label="Resolution (grid steps per quarter note)" data-testid="train-poly-resolution">
          {POLYPHONIC_RESOLUTIONS.map((option) => (
            <button
              key={option.value}
              type="button"
              role="radio"
              aria-checked={form.resolution === option.value}
              className={`segment${form.resolution === option.value ? ' is-active' : ''}`}
              data-value={option.value}
              title={option.explanation}
              disabled={busy}
              onClick={() => change({ resolution: option.value }, 'resolution')}
            >
              {option.label}
            </button>
          ))}
        </div>
      </Field>
      <TextField {...props} field="units" label="LSTM units" hint="Per stacked layer, e.g. 256, 256" testId="train-units" />
      <TextField
        {...props}
        field="nadeHidden"
        label="NADE hidden"
        hint={baseline ? 'Not used by the independent baseline' : 'Units of the NADE over each step’s pitches'}
        testId="train-nade-hidden"
        disabled={baseline}
      />
      <TextField {...props} field="epochs" label="Epochs" hint="At most; early stopping may end sooner" testId="train-epochs" />
      <TextField {...props} field="batchSize" label="Batch size" hint="Pieces per batch" testId="train-batch" />
      <TextField {...props} field="learningRate" label="Learning rate" numeric="decimal" hint="Adam’s" testId="train-learning-rate" />
      <TextField {...props} field="patience" label="Patience" hint="Epochs without a better held-out frame NLL before stopping; 0: never" testId="train-patience" />
      <TextField {...props} field="dropout" label="Dropout" numeric="decimal" hint="On the LSTM outputs, 0 to 0.9" testId="train-dropout" />
      <TextField {...props} field="inputDropout" label="Input dropout" numeric="decimal" hint="On the input frames, 0 to 0.9" testId="train-input-dropout" />
      <TextField {...props} field="transpose" label="Transpose ±" hint="Augmentation, semitones (0: off)" testId="train-transpose" />
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
          <button type="button" className="button" title="A random seed" aria-label="A random seed" disabled={busy} onClick={() => change({ seed: String(randomSeed()) }, 'seed')}>
            <DiceIcon size={14} />
          </button>
        </div>
      </Field>
    </>
  );
}
