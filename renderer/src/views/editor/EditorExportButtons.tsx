/**
 * The editor header's "Export MIDI…" and "Export WAV…": save the edits first (editor-export.ts), then
 * export the open clip the way the clips table does: main's save dialog on the desktop, a download in
 * browser mode. A WAV is rendered in a job first (the Jobs panel shows it).
 */
import { useState } from 'react';
import { ExportIcon } from '../../components/icons';
import { downloadInBrowser } from '../../export/download';
import { describeExport, exportClipMidi } from '../../export/export-midi';
import { useWavExport, WaveIcon } from '../../export/use-wav-export';
import type { EditorStore } from '../../editor/editor-store';
import { useEnvironment, useStudio } from '../../state/studio-context';
import { useEditorState, useWorkbench, useWorkbenchState } from './editor-context';
import { describeSkippedExport, saveThenExport } from './editor-export';

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function EditorExportButtons({ editor }: { editor: EditorStore }) {
  const workbench = useWorkbench();
  const { model, api } = useEnvironment();
  const mode = useStudio((state) => state.appInfo?.mode ?? 'browser');
  const clipId = useWorkbenchState((state) => state.clipId);
  const name = useEditorState(editor, (state) => state.document.name);
  const wav = useWavExport();
  const [midiBusy, setMidiBusy] = useState(false);
  // Saving before the render starts: useWavExport only knows of the export once it has started.
  const [wavSaving, setWavSaving] = useState(false);
  const label = `“${name.trim() || 'Untitled clip'}”`;

  const exportMidi = async () => {
    if (midiBusy) return;
    setMidiBusy(true);
    try {
      const outcome = await saveThenExport(workbench, (id) => exportClipMidi(api, mode, id, downloadInBrowser));
      const message = outcome.kind === 'exported' ? describeExport(outcome.value) : describeSkippedExport(outcome, 'MIDI');
      if (message !== null) model.notify(message, outcome.kind === 'exported' ? 'info' : 'warning');
    } catch (error) {
      model.notify(`Could not export ${label} as MIDI: ${describeError(error)}`);
    } finally {
      setMidiBusy(false);
    }
  };

  const exportWav = async () => {
    if (wavSaving) return;
    setWavSaving(true);
    try {
      const outcome = await saveThenExport(workbench, async (id) => wav.start({ clipId: id }, label));
      const message = describeSkippedExport(outcome, 'WAV');
      if (message !== null) model.notify(message, 'warning');
    } finally {
      setWavSaving(false);
    }
  };

  const wavBusy = wavSaving || (clipId !== null && wav.isExporting({ clipId }));
  return (
    <>
      <button
        type="button"
        className="button button-small"
        disabled={clipId === null || midiBusy}
        title="Export MIDI… (saves the edits first)"
        onClick={() => void exportMidi()}
        data-testid="editor-export-midi"
      >
        <ExportIcon size={13} /> Export MIDI…
      </button>
      <button
        type="button"
        className="button button-small"
        disabled={clipId === null || wavBusy}
        title="Export WAV… (saves the edits first, then renders in a job)"
        onClick={() => void exportWav()}
        data-testid="editor-export-wav"
      >
        <WaveIcon size={13} /> {wavBusy ? 'Rendering…' : 'Export WAV…'}
      </button>
    </>
  );
}
