/**
 * The renderer's entry: picks the studio API (Electron preload or browser mode's WebSocket), builds
 * the model, and renders the shell. If there is no way to reach the studio, it says so on screen.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { StudioApi } from '../../core/ipc/client';
import { App } from './app/App';
import { downloadInBrowser } from './export/download';
import { describeError, StudioModel } from './state/studio-model';
import { StudioProvider, type PlatformBridge, type StudioEnvironment } from './state/studio-context';
import { pickStudio } from './transport/pick-studio';
import { PlaybackProvider } from './playback';
import { isPlaybackTestRoute, PlaybackTestView } from './views/midi/PlaybackTestView';
import { CompareRoute, isCompareRoute } from './views/compare/CompareView';
import './styles.css';

/** The preload may add `platform` beside the contract's methods; feature-detected, never required. */
function platformOf(): PlatformBridge {
  const bridge = (window as { studio?: { platform?: { pathForFile?: unknown } } }).studio?.platform;
  const pathForFile = bridge?.pathForFile;
  return typeof pathForFile === 'function' ? { pathForFile: (file: File) => String(pathForFile(file)) } : {};
}

function FatalScreen({ message }: { message: string }) {
  return (
    <div className="fatal" role="alert">
      <h1>Composition Studio cannot start</h1>
      <p>{message}</p>
    </div>
  );
}

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element.');
const root = createRoot(container);

let api: StudioApi | null = null;
try {
  api = pickStudio();
} catch (error) {
  root.render(<FatalScreen message={describeError(error)} />);
}

if (api) {
  const model = new StudioModel(api, { download: downloadInBrowser });
  const environment: StudioEnvironment = { model, platform: platformOf(), api };
  void model.start();
  root.render(
    <StrictMode>
      <StudioProvider environment={environment}>
        <PlaybackProvider studio={api}>
          {/* #compare: the Compare view alone (also in the shell's navigation); used by its e2e test. */}
          {isPlaybackTestRoute() ? <PlaybackTestView studio={api} /> : isCompareRoute() ? <CompareRoute studio={api} /> : <App />}
        </PlaybackProvider>
      </StudioProvider>
    </StrictMode>,
  );
}
