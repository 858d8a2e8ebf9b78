/**
 * The Compare view: its sidebar (the comparisons, "New…") beside its workspace (numbers, pictures,
 * ears), with the "New comparison" dialog. It runs on a ComparisonLibrary: the studio model's when
 * the shell passes one (`library`), otherwise one made for the given API and kept per API, so
 * leaving the view and coming back shows the kept results at once.
 *
 * Until the shell has a navigation entry for it, main.tsx renders it alone at `#compare`.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { Notices } from '../../components/Notices';
import { createComparisonLibrary, type ComparisonLibrary, type ComparisonLibraryApi } from '../../state/comparison-library';
import { useModel, useStudio } from '../../state/studio-context';
import type { StudioModel } from '../../state/studio-model';
import { ComparisonLibraryProvider, useComparisonState } from './comparison-context';
import { CompareSidebar } from './CompareSidebar';
import { CompareWorkspace } from './CompareWorkspace';
import { downloadFile } from './download-file';
import { NewComparisonDialog } from './NewComparisonDialog';
import './compare.css';

export const COMPARE_HASH = '#compare';

export function isCompareRoute(hash: string = window.location.hash): boolean {
  return hash === COMPARE_HASH || hash.startsWith(`${COMPARE_HASH}&`);
}

const libraries = new WeakMap<ComparisonLibraryApi, ComparisonLibrary>();

/** The library for an API, made (and started) once: the view can unmount and remount without losing it. */
export function comparisonLibraryFor(api: ComparisonLibraryApi, model: StudioModel): ComparisonLibrary {
  let library = libraries.get(api);
  if (!library) {
    library = createComparisonLibrary(api, {
      notify: (message, tone) => model.notify(message, tone),
      download: downloadFile,
      mode: () => model.state.appInfo?.mode ?? 'browser',
    });
    libraries.set(api, library);
    void library.start();
  }
  return library;
}

export type CompareViewProps = (
  | { readonly library: ComparisonLibrary; readonly studio?: undefined }
  | { readonly studio: ComparisonLibraryApi; readonly library?: undefined }
) & {
  /** Shown under the workspace, inside it (the shell's Jobs panel). */
  readonly workspaceFooter?: ReactNode;
};

/** The whole view (sidebar and workspace) as one grid, as the shell's other views are laid out. */
export function CompareView(props: CompareViewProps) {
  const model = useModel();
  const [library] = useState(() => props.library ?? comparisonLibraryFor(props.studio!, model));
  // A library handed in by the shell is started by its owner; starting twice does nothing.
  useEffect(() => {
    void library.start();
  }, [library]);
  return (
    <ComparisonLibraryProvider library={library}>
      <CompareLayout workspaceFooter={props.workspaceFooter} />
    </ComparisonLibraryProvider>
  );
}

function CompareLayout({ workspaceFooter }: { workspaceFooter?: ReactNode }) {
  const selectedCorpusId = useStudio((state) => state.selectedCorpusId);
  const selectedComparisonCorpus = useComparisonState((state) => state.list.find((summary) => summary.id === state.selectedId)?.corpusId ?? null);
  const [dialogOpen, setDialogOpen] = useState(false);
  const openNew = () => setDialogOpen(true);
  return (
    <div className="view compare-view" data-testid="compare-view">
      <CompareSidebar onNew={openNew} />
      <main className="workspace">
        <div className="workspace-main">
          <CompareWorkspace onNew={openNew} />
        </div>
        {workspaceFooter}
      </main>
      {dialogOpen ? <NewComparisonDialog initialCorpusId={selectedComparisonCorpus ?? selectedCorpusId} onClose={() => setDialogOpen(false)} /> : null}
    </div>
  );
}

/** The `#compare` page: the view alone, full height, with the notices. */
export function CompareRoute({ studio }: { studio: ComparisonLibraryApi }) {
  const connection = useStudio((state) => state.connection);
  return (
    <div className="compare-route" data-connection={connection}>
      <CompareView studio={studio} />
      <Notices />
    </div>
  );
}
