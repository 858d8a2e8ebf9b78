/** The Jobs panel: every job with its status, progress, message, and what it produced or why it failed. */
import { useEffect, useState } from 'react';
import type { Job, JobResult } from '../../../../core/ipc/schemas';
import { ChevronIcon, StopIcon } from '../../components/icons';
import { ProgressBar } from '../../components/ProgressBar';
import { formatCount, formatPercent, formatTimestamp, plural } from '../../lib/format';
import { isActive } from '../../state/jobs';
import { useModel, useStudio } from '../../state/studio-context';
import { formatLogLikelihood } from '../models/model-format';
import { countJobs, jobElapsed, STATUS_LABEL } from './job-view-model';

export function JobsPanel({ collapsed, onToggle }: { collapsed: boolean; onToggle: () => void }) {
  const jobs = useStudio((state) => state.jobs);
  const counts = countJobs(jobs);
  return (
    <section className={`panel jobs-panel${collapsed ? ' is-collapsed' : ''}`} aria-label="Jobs">
      <header className="panel-header">
        <button type="button" className="panel-toggle" aria-expanded={!collapsed} onClick={onToggle}>
          <ChevronIcon size={14} className="panel-chevron" />
          <h2 className="section-title">Jobs</h2>
        </button>
        <span className="panel-badges">
          {counts.active > 0 ? <span className="badge badge-running">{counts.active} running</span> : null}
          {counts.failed > 0 ? <span className="badge badge-failed">{counts.failed} failed</span> : null}
          <span className="muted small">{plural(jobs.length, 'job')}</span>
        </span>
      </header>
      {collapsed ? null : (
        <div className="panel-body">
          {jobs.length === 0 ? (
            <p className="panel-empty muted">No jobs yet. Imports, training runs and generation appear here.</p>
          ) : (
            <ul className="job-list">
              {jobs.map((job) => (
                <li key={job.id}>
                  <JobRow job={job} />
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}

/** Re-renders every second while a job runs, so its elapsed time moves. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

function JobRow({ job }: { job: Job }) {
  const model = useModel();
  const active = isActive(job);
  const now = useNow(job.status === 'running');
  const elapsed = jobElapsed(job, now);
  const progress = job.status === 'done' ? 1 : job.progress;
  return (
    <article className={`job-row job-${job.status}`} data-testid="job-row" data-job-id={job.id} data-status={job.status} aria-label={job.title}>
      <div className="job-main">
        <span className={`status-dot status-${job.status}`} aria-hidden="true" />
        <span className="job-title" title={job.title}>
          {job.title}
        </span>
        <span className={`job-status status-text-${job.status}`} data-testid="job-status">
          {STATUS_LABEL[job.status]}
        </span>
        <ProgressBar value={job.status === 'queued' ? null : progress} label={`${job.title}: progress`} tone={job.status} testId="job-progress" />
        <span className="job-percent">{job.status === 'queued' ? '' : formatPercent(progress)}</span>
        <span className="job-time muted">{elapsed ?? formatTimestamp(job.createdAt)}</span>
        {active ? (
          <button type="button" className="button button-small" onClick={() => void model.cancelJob(job.id)} data-testid="cancel-job">
            <StopIcon size={12} /> Cancel
          </button>
        ) : (
          <span className="job-action-spacer" />
        )}
      </div>
      {/* Once a job has a result, the result says more than its last message ("Done."). */}
      {job.message && job.status !== 'failed' && !job.result ? <p className="job-message muted">{job.message}</p> : null}
      {job.status === 'failed' && job.error ? (
        <p className="job-error" role="alert" data-testid="job-error">
          {job.error}
        </p>
      ) : null}
      {job.result ? <JobResultView result={job.result} /> : null}
    </article>
  );
}

function JobResultView({ result }: { result: JobResult }) {
  switch (result.kind) {
    case 'import-midi':
      return <ImportResult result={result} />;
    case 'train-model':
      return <TrainResult result={result} />;
    case 'generate':
      return (
        <div className="job-result" data-testid="generate-result">
          <div className="result-summary">
            <span className="result-ok">{plural(result.clipIds.length, 'clip')} made</span>
          </div>
        </div>
      );
  }
}

const STOP_REASON_TEXT = { converged: 'converged', 'max-iterations': 'reached its maximum', stopped: 'stopped: resume continues from here' } as const;

function TrainResult({ result }: { result: Extract<JobResult, { kind: 'train-model' }> }) {
  return (
    <div className="job-result" data-testid="train-result">
      <div className="result-summary">
        <span className={result.stopReason === 'stopped' ? 'result-warn' : 'result-ok'}>
          {plural(result.iterations, 'iteration')}, {STOP_REASON_TEXT[result.stopReason]}
        </span>
        {result.logLikelihoodPerToken !== null ? (
          <span className="muted">train LL/token {formatLogLikelihood(result.logLikelihoodPerToken)}</span>
        ) : null}
      </div>
    </div>
  );
}

/** A failed import of a huge folder should not put thousands of rows in the panel. */
const MAX_FAILURES_SHOWN = 200;

function ImportResult({ result }: { result: Extract<JobResult, { kind: 'import-midi' }> }) {
  const [showFailures, setShowFailures] = useState(true);
  return (
    <div className="job-result" data-testid="import-result">
      <div className="result-summary">
        <span className="result-ok" data-testid="import-imported">
          {plural(result.imported, 'piece')} imported
        </span>
        {result.duplicates.length > 0 ? <span className="result-warn">{formatCount(result.duplicates.length)} already in the corpus</span> : null}
        {result.failures.length > 0 ? (
          <button type="button" className="link-button result-bad" aria-expanded={showFailures} onClick={() => setShowFailures(!showFailures)}>
            {plural(result.failures.length, 'file')} failed
          </button>
        ) : null}
      </div>
      {result.failures.length > 0 && showFailures ? (
        <ul className="failure-list" aria-label="Files that failed">
          {result.failures.slice(0, MAX_FAILURES_SHOWN).map((failure, index) => (
            <li key={`${failure.file}-${index}`} className="import-failure" data-testid="import-failure">
              <span className="failure-file">{failure.file}</span>
              <span className="failure-message">{failure.error}</span>
            </li>
          ))}
          {result.failures.length > MAX_FAILURES_SHOWN ? (
            <li className="muted small">and {formatCount(result.failures.length - MAX_FAILURES_SHOWN)} more</li>
          ) : null}
        </ul>
      ) : null}
      {result.duplicates.length > 0 ? (
        <details className="duplicates">
          <summary>Skipped duplicates ({formatCount(result.duplicates.length)})</summary>
          <ul>
            {result.duplicates.slice(0, MAX_FAILURES_SHOWN).map((file, index) => (
              <li key={`${file}-${index}`}>{file}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
