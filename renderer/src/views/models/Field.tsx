/** A labelled form field of the Models view's dialogs: label (and extra), control, then its error or hint. */
import type { ReactNode } from 'react';

export interface FieldProps {
  readonly label: string;
  readonly htmlFor?: string;
  readonly error?: string;
  readonly hint?: ReactNode;
  readonly wide?: boolean;
  readonly labelExtra?: ReactNode;
  readonly children: ReactNode;
}

export function Field({ label, htmlFor, error, hint, wide, labelExtra, children }: FieldProps) {
  return (
    <div className={`field${wide ? ' field-wide' : ''}${error ? ' has-error' : ''}`}>
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
