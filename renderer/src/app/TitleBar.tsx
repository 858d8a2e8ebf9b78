import { useStudio } from '../state/studio-context';
import { useWorkbenchState } from '../views/editor/editor-context';

export function TitleBar() {
  const appInfo = useStudio((state) => state.appInfo);
  const view = useStudio((state) => state.view);
  const corpusName = useStudio((state) => state.corpora.find((corpus) => corpus.id === state.selectedCorpusId)?.name ?? null);
  const modelName = useStudio((state) => state.models.find((model) => model.id === state.selectedModelId)?.name ?? null);
  const editorVisible = useWorkbenchState((state) => state.visible);
  const clipName = useWorkbenchState((state) => state.editor?.state.savedDocument.name ?? null);
  const current = editorVisible ? clipName : view === 'library' ? corpusName : modelName;
  return (
    <header className="title-bar">
      <span className="app-mark" aria-hidden="true">
        <span />
        <span />
        <span />
      </span>
      <span className="app-name">Composition Studio</span>
      <span className="breadcrumb muted">
        <span>{editorVisible ? 'Editor' : view === 'library' ? 'Library' : 'Models'}</span>
        {current ? (
          <>
            <span className="breadcrumb-separator">/</span>
            <span className="breadcrumb-current">{current}</span>
          </>
        ) : null}
      </span>
      <span className="title-spacer" />
      {appInfo ? (
        <>
          <span className={`mode-badge mode-${appInfo.mode}`} data-testid="app-mode" title={appInfo.mode === 'electron' ? 'Desktop app' : 'Browser mode (served by npm run serve)'}>
            {appInfo.mode === 'electron' ? 'Desktop' : 'Browser'}
          </span>
          <span className="muted small">v{appInfo.version}</span>
        </>
      ) : null}
    </header>
  );
}
