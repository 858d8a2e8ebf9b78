/**
 * The RL tuner's first fields in the Train dialog: the trained LSTM it starts from (or how to get
 * one when there is none) and the policy gradient's baseline.
 */
import { useId } from 'react';
import type { ModelSummary } from '../../../../core/ipc/schemas';
import { formatCount } from '../../lib/format';
import { Field } from './Field';
import { BASELINES, type RlTrainForm } from './rl-train-form';

export interface RlStartFieldsProps {
  readonly form: RlTrainForm;
  readonly choices: readonly ModelSummary[];
  /** Shown in place of the select when there is no LSTM to start from. */
  readonly advice: string;
  readonly error: string | undefined;
  readonly busy: boolean;
  readonly onStartModel: (id: number) => void;
  readonly onBaseline: (baseline: RlTrainForm['baseline']) => void;
}

export function RlStartFields({ form, choices, advice, error, busy, onStartModel, onBaseline }: RlStartFieldsProps) {
  const id = useId();
  const baseline = BASELINES.find((option) => option.value === form.baseline);
  return (
    <>
      <Field
        label="Start model"
        htmlFor={id}
        wide
        error={choices.length === 0 ? undefined : error}
        hint={choices.length === 0 ? undefined : 'The policy starts as this LSTM; the KL term keeps it close. The corpus above gives the discriminator its real phrases.'}
      >
        {choices.length === 0 ? (
          <p className="field-advice" role="note" data-testid="train-rl-no-start">
            {advice}
          </p>
        ) : (
          <select
            id={id}
            value={form.startModelId ?? ''}
            disabled={busy}
            aria-invalid={error !== undefined}
            onChange={(event) => onStartModel(Number(event.target.value))}
            data-testid="train-rl-start"
          >
            {form.startModelId === null ? <option value="">Choose an LSTM…</option> : null}
            {choices.map((model) => (
              <option key={model.id} value={model.id}>
                {model.name} — {model.corpusName}, {formatCount(model.iterations)} epoch{model.iterations === 1 ? '' : 's'}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Baseline" wide hint={baseline?.explanation}>
        <div className="segmented segmented-fill" role="radiogroup" aria-label="Baseline" data-testid="train-rl-baseline">
          {BASELINES.map((option) => (
            <button
              key={option.value}
              type="button"
              role="radio"
              aria-checked={form.baseline === option.value}
              className={`segment${form.baseline === option.value ? ' is-active' : ''}`}
              data-value={option.value}
              title={option.explanation}
              disabled={busy}
              onClick={() => onBaseline(option.value)}
            >
              {option.label}
            </button>
          ))}
        </div>
      </Field>
    </>
  );
}
