/**
 * A small number input for the toolbar: what is typed stays as typed while the field has focus
 * (so clearing it to type "90" does not snap to 1 on the way), and is applied as soon as it is a
 * whole number in range; leaving the field shows the applied value again.
 */
import { useState } from 'react';

export interface NumberFieldProps {
  readonly value: number;
  readonly min: number;
  readonly max: number;
  readonly step?: number;
  readonly onCommit: (value: number) => void;
  readonly label: string;
  readonly testId: string;
}

export function NumberField({ value, min, max, step = 1, onCommit, label, testId }: NumberFieldProps) {
  const [draft, setDraft] = useState<string | null>(null);
  return (
    <input
      type="number"
      min={min}
      max={max}
      step={step}
      value={draft ?? String(value)}
      onChange={(event) => {
        const text = event.target.value;
        setDraft(text);
        const parsed = Number(text);
        if (text.trim() !== '' && Number.isInteger(parsed) && parsed >= min && parsed <= max) onCommit(parsed);
      }}
      onBlur={() => setDraft(null)}
      onKeyDown={(event) => {
        if (event.key === 'Enter') event.currentTarget.blur();
      }}
      aria-label={label}
      aria-invalid={draft !== null && draft !== String(value) ? true : undefined}
      data-testid={testId}
    />
  );
}
