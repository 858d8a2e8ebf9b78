/**
 * The studio's shell: title bar, activity bar (one entry per view: Library, Models and the piano-roll
 * Editor; comparison later), the view's sidebar and workspace, the Jobs panel below the workspace,
 * and a status bar. Files dropped anywhere on the library open the import dialog with them.
 *
 * The Editor view is shown by the editor's workbench (views/editor), which "Open in editor" buttons
 * reach through EditorProvider; the studio model's own view says which of Library and Models shows
 * when the editor does not.
 */
import { useEffect, useMemo, useState, type DragEvent } from "react";
import { Notices } from "../components/Notices";
import {
  ImportIcon,
  JobsIcon,
  LibraryIcon,
  ModelIcon,
  PianoRollIcon,
  ChartIcon,
} from "../components/icons";
import { dragHasFiles, selectionFromDrop } from "../import/dom-files";
import type { ImportSelection } from "../import/selection";
import { describeError, type StudioView } from "../state/studio-model";
import { useEnvironment, useStudio } from "../state/studio-context";
import { JobsPanel } from "../views/jobs/JobsPanel";
import { countJobs } from "../views/jobs/job-view-model";
import { CorpusList } from "../views/library/CorpusList";
import { CorpusView } from "../views/library/CorpusView";
import { ImportDialog } from "../views/library/ImportDialog";
import { ModelWorkspace } from "../views/models/ModelDetail";
import { ModelList } from "../views/models/ModelList";
import { TrainDialog } from "../views/models/TrainDialog";
import {
  EditorProvider,
  useWorkbench,
  useWorkbenchState,
} from "../views/editor/editor-context";
import { EditorView } from "../views/editor/EditorView";
import {
  CompareView,
  comparisonLibraryFor,
} from "../views/compare/CompareView";
import { StatusBar } from "./StatusBar";
import { TitleBar } from "./TitleBar";

type ImportDialogState =
  | { readonly open: false }
  | { readonly open: true; readonly initial: ImportSelection | null };
type TrainDialogState =
  | { readonly open: false }
  | { readonly open: true; readonly corpusId: number | null };

type ShellView = StudioView | "editor" | "compare";

const VIEWS: readonly {
  readonly view: ShellView;
  readonly label: string;
  readonly Icon: typeof LibraryIcon;
  readonly testId: string;
}[] = [
  {
    view: "library",
    label: "Library",
    Icon: LibraryIcon,
    testId: "library-nav",
  },
  { view: "models", label: "Models", Icon: ModelIcon, testId: "models-nav" },
  {
    view: "editor",
    label: "Editor",
    Icon: PianoRollIcon,
    testId: "editor-nav",
  },
  { view: "compare", label: "Compare", Icon: ChartIcon, testId: "compare-nav" },
];

export function App() {
  return (
    <EditorProvider>
      <Shell />
    </EditorProvider>
  );
}

function Shell() {
  const { model, platform, api } = useEnvironment();
  const workbench = useWorkbench();
  const editorVisible = useWorkbenchState((state) => state.visible);
  const [importDialog, setImportDialog] = useState<ImportDialogState>({
    open: false,
  });
  const [trainDialog, setTrainDialog] = useState<TrainDialogState>({
    open: false,
  });
  const studioView = useStudio((state) => state.view);
  // Compare draws its own sidebar and workspace; the shell only decides when it is shown.
  const [compareVisible, setCompareVisible] = useState(false);
  const compareLibrary = useMemo(
    () => comparisonLibraryFor(api, model),
    [api, model],
  );
  const view: ShellView = editorVisible
    ? "editor"
    : compareVisible
      ? "compare"
      : studioView;
  const selectedCorpusId = useStudio((state) => state.selectedCorpusId);
  const trainingModels = useStudio(
    (state) =>
      state.models.filter((candidate) => candidate.status === "training")
        .length,
  );
  const [libraryJobsCollapsed, setLibraryJobsCollapsed] = useState(false);
  // The piano roll wants the height: there the Jobs panel starts folded, and keeps its own state.
  const [editorJobsCollapsed, setEditorJobsCollapsed] = useState(true);
  const jobsCollapsed =
    view === "editor" ? editorJobsCollapsed : libraryJobsCollapsed;
  const setJobsCollapsed =
    view === "editor" ? setEditorJobsCollapsed : setLibraryJobsCollapsed;
  const [dragDepth, setDragDepth] = useState(0);
  const activeJobs = useStudio((state) => countJobs(state.jobs).active);

  // Whatever switches the studio's view (a button anywhere) leaves the editor.
  useEffect(() => workbench.hide(), [workbench, studioView]);

  const showView = (next: ShellView) => {
    setCompareVisible(next === "compare");
    if (next === "editor") workbench.show();
    else {
      workbench.hide();
      if (next !== "compare") model.showView(next);
    }
  };

  const openImport = (initial: ImportSelection | null = null) =>
    setImportDialog({ open: true, initial });
  /** "Train model…" from anywhere: the Models view, with the dialog on the given corpus. */
  const openTrain = (corpusId: number | null = selectedCorpusId) => {
    showView("models");
    setTrainDialog({ open: true, corpusId });
  };

  const dropHandlers = {
    onDragEnter: (event: DragEvent) => {
      if (!dragHasFiles(event.dataTransfer) || importDialog.open) return;
      event.preventDefault();
      setDragDepth((depth) => depth + 1);
    },
    onDragOver: (event: DragEvent) => {
      if (!dragHasFiles(event.dataTransfer) || importDialog.open) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
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
          if (
            selection.kind === "paths"
              ? selection.paths.length === 0
              : selection.files.length === 0
          ) {
            model.notify(
              "There are no MIDI files (.mid, .midi, .kar, .smf) in what was dropped.",
              "warning",
            );
          } else openImport(selection);
        },
        (error: unknown) =>
          model.notify(
            `Could not read what was dropped: ${describeError(error)}`,
          ),
      );
    },
  };

  return (
    <div className="app">
      <TitleBar />
      <div className="app-body">
        <nav className="activity-bar" aria-label="Views">
          {VIEWS.map(({ view: candidate, label, Icon, testId }) => (
            <button
              key={candidate}
              type="button"
              className={`activity-button${view === candidate ? " is-active" : ""}`}
              aria-current={view === candidate ? "page" : undefined}
              title={
                candidate === "models" && trainingModels > 0
                  ? `${label} (${trainingModels} training)`
                  : label
              }
              aria-label={label}
              onClick={() => showView(candidate)}
              data-testid={testId}
            >
              <Icon size={20} />
              {candidate === "models" && trainingModels > 0 ? (
                <span className="activity-dot" aria-hidden="true" />
              ) : null}
            </button>
          ))}
          <span className="activity-spacer" />
          <button
            type="button"
            className={`activity-button${jobsCollapsed ? "" : " is-on"}`}
            title={jobsCollapsed ? "Show jobs" : "Hide jobs"}
            aria-label={jobsCollapsed ? "Show jobs" : "Hide jobs"}
            aria-pressed={!jobsCollapsed}
            onClick={() => setJobsCollapsed(!jobsCollapsed)}
          >
            <JobsIcon size={20} />
            {activeJobs > 0 ? (
              <span className="activity-badge">{activeJobs}</span>
            ) : null}
          </button>
        </nav>
        {view === "compare" ? (
          <CompareView
            library={compareLibrary}
            workspaceFooter={
              <JobsPanel
                collapsed={jobsCollapsed}
                onToggle={() => setJobsCollapsed(!jobsCollapsed)}
              />
            }
          />
        ) : (
          <div
            className={
              view === "editor" ? "view editor-shell" : `view ${view}-view`
            }
            {...(view === "library" ? dropHandlers : {})}
          >
            {view === "editor" ? null : view === "library" ? (
              <CorpusList onImport={() => openImport()} />
            ) : (
              <ModelList onTrain={() => openTrain()} />
            )}
            <main className="workspace">
              <div className="workspace-main">
                {view === "editor" ? (
                  <EditorView />
                ) : view === "library" ? (
                  <CorpusView
                    onImport={() => openImport()}
                    onTrain={(corpusId) => openTrain(corpusId)}
                  />
                ) : (
                  <ModelWorkspace onTrain={() => openTrain()} />
                )}
              </div>
              <JobsPanel
                collapsed={jobsCollapsed}
                onToggle={() => setJobsCollapsed(!jobsCollapsed)}
              />
            </main>
            {view === "library" && dragDepth > 0 ? (
              <div className="drop-overlay" aria-hidden="true">
                <div className="drop-overlay-card">
                  <ImportIcon size={28} />
                  <span>Drop MIDI files or folders to import</span>
                </div>
              </div>
            ) : null}
          </div>
        )}
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
      {trainDialog.open ? (
        <TrainDialog
          initialCorpusId={trainDialog.corpusId}
          onClose={(started) => {
            setTrainDialog({ open: false });
            if (started) setJobsCollapsed(false);
          }}
        />
      ) : null}
      <Notices />
    </div>
  );
}
