import { plural, shortenPath } from '../lib/format';
import { useStudio } from '../state/studio-context';
import { countJobs } from '../views/jobs/job-view-model';

const CONNECTION_LABEL = { connecting: 'Connecting…', ready: 'Connected', offline: 'Offline' } as const;

export function StatusBar() {
  const connection = useStudio((state) => state.connection);
  const appInfo = useStudio((state) => state.appInfo);
  const activeJobs = useStudio((state) => countJobs(state.jobs).active);
  const runningTitle = useStudio((state) => state.jobs.find((job) => job.status === 'running')?.title ?? null);
  return (
    <footer className="status-bar">
      <span className={`status-item connection-${connection}`} data-testid="connection">
        <span className="connection-dot" aria-hidden="true" />
        {CONNECTION_LABEL[connection]}
        {appInfo ? ` · ${appInfo.mode === 'electron' ? 'desktop' : 'browser mode'}` : ''}
      </span>
      {appInfo ? <span className="status-item">{plural(appInfo.workerCount, 'worker')}</span> : null}
      <span className="status-item status-grow">{runningTitle ? `${runningTitle}${activeJobs > 1 ? ` (+${activeJobs - 1} more)` : ''}` : 'Idle'}</span>
      {appInfo ? (
        <span className="status-item status-path" title={appInfo.databasePath}>
          {shortenPath(appInfo.databasePath)}
        </span>
      ) : null}
    </footer>
  );
}
