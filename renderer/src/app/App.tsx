/**
 * The studio's shell: title bar, activity bar (one entry per view; Library now, the editor, models
 * and comparison later), the view's sidebar and workspace, the Jobs panel below the workspace, and a
 * status bar. Files dropped anywhere on the library open the import dialog with them.
 */
import { useState, type DragEvent } from 'react';
import { Notices } from '../components/Notices';
import { ImportIcon, JobsIcon, LibraryIcon } from '../components/icons';
import { dragHasFiles, selectionFromDrop } from '../import/dom-files';
import type { ImportSelection } from '../import/selection';
import { describeError } from '../state/studio-model';
import { useEnvironment, useStudio } from '../state/studio-context';
import { JobsPanel } from '../views/jobs/JobsPanel';
import { countJobs } from '../views/jobs/job-view-model';
import { CorpusList } from '../views/library/CorpusList';
import { CorpusView } from '../views/library/CorpusView';
import { ImportDialog } from '../views/library/ImportDialog';
import { StatusBar } from './StatusBar';
import { TitleBar } from './TitleBar';

type ImportDialogState = { readonly open: false } | { readonly open: true; readonly initial: ImportSelection | null };

export function App() {
  const { model, platform } = useEnvironment();
  const [importDialog, setImportDialog] = useState<ImportDialogState>({ open: false });
  const [jobsCollapsed, setJobsCollapsed] = useState(false);
  const [dragDepth, setDragDepth] = useState(0);
  const activeJobs = useStudio((state) => countJobs(state.jobs).active);

  const openImport = (initial: ImportSelection | null = null) => setImportDialog({ open: true, initial });

  const dropHandlers = {
    onDragEnter: (event: DragEvent) => {
      if (!dragHasFiles(event.dataTransfer) || importDialog.open) return;
      event.preventDefault();
      setDragDepth((depth) => depth + 1);
    },
    onDragOver: (event: DragEvent) => {
      if (!dragHasFiles(event.dataTransfer) || importDialog.open) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
    },
    onDragLeave: (event: DragEvent) => {
      if (!dragHasFiles(event.dataTransfer) || importDialog.open) return;
      setDragDepth((depth) => Math.max(0, depth - 1));
    },
    onDrop: (event: DragEvent) => {
      if (!dragHasFiles(event.dataTransfer) || importDialog.open) return;
      event.preventDefault();
      setDragDepth(0);
      selectionFromDrop(event.dataTransfer, platform).then(
        (selection) => {
          if (selection.kind === 'paths' ? selection.paths.length === 0 : selection.files.length === 0) {
            model.notify('There are no MIDI files (.mid, .midi, .kar, .smf) in what was dropped.', 'warning');
          } else openImport(selection);
        },
        (error: unknown) => model.notify(`Could not read what was dropped: ${describeError(error)}`),
      );
    },
  };

  return (
    <div className="app">
      <TitleBar />
      <div className="app-body">
        <nav className="activity-bar" aria-label="Views">
          <button type="button" className="activity-button is-active" aria-current="page" title="Library" aria-label="Library">
            <LibraryIcon size={20} />
          </button>
          <span className="activity-spacer" />
          <button
            type="button"
            className={`activity-button${jobsCollapsed ? '' : ' is-on'}`}
            title={jobsCollapsed ? 'Show jobs' : 'Hide jobs'}
            aria-label={jobsCollapsed ? 'Show jobs' : 'Hide jobs'}
            aria-pressed={!jobsCollapsed}
            onClick={() => setJobsCollapsed(!jobsCollapsed)}
          >
            <JobsIcon size={20} />
            {activeJobs > 0 ? <span className="activity-badge">{activeJobs}</span> : null}
          </button>
        </nav>
        <div className="view library-view" {...dropHandlers}>
          <CorpusList onImport={() => openImport()} />
          <main className="workspace">
            <div className="workspace-main">
              <CorpusView onImport={() => openImport()} />
            </div>
            <JobsPanel collapsed={jobsCollapsed} onToggle={() => setJobsCollapsed(!jobsCollapsed)} />
          </main>
          {dragDepth > 0 ? (
            <div className="drop-overlay" aria-hidden="true">
              <div className="drop-overlay-card">
                <ImportIcon size={28} />
                <span>Drop MIDI files or folders to import</span>
              </div>
            </div>
          ) : null}
        </div>
      </div>
      <StatusBar />
      {importDialog.open ? (
        <ImportDialog
          initialSelection={importDialog.initial}
          onClose={() => {
            setImportDialog({ open: false });
            setJobsCollapsed(false);
          }}
        />
      ) : null}
      <Notices />
    </div>
  );
}
