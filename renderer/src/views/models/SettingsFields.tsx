/**
 * The Train dialog's fields of a family described by settings-form.ts specs (the VAE's, the RL
 * tuner's): a small heading per group, then one text field per number, with its error or hint.
 */
import { useId } from 'react';
import { DiceIcon } from '../../components/icons';
import { Field } from './Field';
import { groupFields, type FieldTexts, type NumberFieldSpec } from './settings-form';
import { randomSeed } from './train-form';

export interface SettingsFieldsProps {
  readonly specs: readonly NumberFieldSpec[];
  readonly texts: FieldTexts;
  readonly errorOf: (key: string) => string | undefined;
  readonly change: (key: string, text: string) => void;
  readonly busy: boolean;
  /** Test ids are `${testPrefix}-${key}`. */
  readonly testPrefix: string;
}

function NumberField({ spec, props }: { spec: NumberFieldSpec; props: SettingsFieldsProps }) {
  const id = useId();
  const error = props.errorOf(spec.key);
  const input = (
    <input
      id={id}
      type="text"
      inputMode={spec.whole ? 'numeric' : 'decimal'}
      spellCheck={false}
      value={props.texts[spec.key] ?? ''}
      disabled={props.busy}
      aria-invalid={error !== undefined}
      onChange={(event) => props.change(spec.key, event.target.value)}
      data-testid={`${props.testPrefix}-${spec.key}`}
    />
  );
  return (
    <Field label={spec.label} htmlFor={id} error={error} hint={spec.hint}>
      {spec.key === 'seed' ? (
        <div className="seed-row">
          {input}
          <button type="button" className="button" title="A random seed" disabled={props.busy} onClick={() => props.change('seed', String(randomSeed()))}>
            <DiceIcon size={14} />
          </button>
        </div>
      ) : (
        input
      )}
    </Field>
  );
}

export function SettingsFields(props: SettingsFieldsProps) {
  return (
    <>
      {groupFields(props.specs).map(({ group, fields }) => (
        <div key={group} className="field-group field-wide" role="group" aria-label={group}>
          <span className="field-group-title">{group}</span>
          <div className="form-grid">
            {fields.map((spec) => (
              <NumberField key={spec.key} spec={spec} props={props} />
            ))}
          </div>
        </div>
      ))}
    </>
  );
}
