import { formatPercent } from '../lib/format';

export interface ProgressBarProps {
  /** 0..1, or null while the amount is unknown. */
  readonly value: number | null;
  readonly label: string;
  readonly tone?: 'running' | 'done' | 'failed' | 'cancelled' | 'queued';
  readonly testId?: string;
}

export function ProgressBar({ value, label, tone = 'running', testId }: ProgressBarProps) {
  const percent = value === null ? null : Math.round(Math.min(1, Math.max(0, value)) * 100);
  return (
    <div
      className={`progress progress-${tone}${percent === null ? ' progress-indeterminate' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent ?? undefined}
      aria-valuetext={value === null ? 'Waiting' : formatPercent(value)}
      data-testid={testId}
    >
      <div className="progress-fill" style={{ width: percent === null ? undefined : `${percent}%` }} />
    </div>
  );
}
