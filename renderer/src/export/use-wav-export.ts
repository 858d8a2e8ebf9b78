/**
 * "Export WAV…" buttons on the pieces and clips tables: runs export-wav.ts's flow for a row, keeps
 * the row's button disabled while it runs, and reports the outcome as a notice.
 */
import { createElement, useCallback, useRef, useState, type ReactElement } from 'react';
import type { MusicSource } from '../../../core/ipc/schemas';
import { useEnvironment, useStudio } from '../state/studio-context';
import { downloadInBrowser } from './download';
import { describeWavExport, exportWav } from './export-wav';

const sourceKey = (source: MusicSource): string => ('pieceId' in source ? `piece:${source.pieceId}` : `clip:${source.clipId}`);

export interface WavExportControls {
  /** Starts "Export WAV…" for `source`; `label` names it in notices. A second click while it runs does nothing. */
  readonly start: (source: MusicSource, label: string) => void;
  readonly isExporting: (source: MusicSource) => boolean;
}

/** Export WAV for a table's rows: tracks which rows are exporting and reports the outcome as a notice. */
export function useWavExport(): WavExportControls {
  const { model, api } = useEnvironment();
  const mode = useStudio((state) => state.appInfo?.mode ?? 'browser');
  const [exporting, setExporting] = useState<readonly string[]>([]);
  // What is in flight, known at once (state updates land on the next render).
  const inFlight = useRef(new Set<string>());

  const start = useCallback(
    (source: MusicSource, label: string) => {
      const key = sourceKey(source);
      if (inFlight.current.has(key)) return;
      inFlight.current.add(key);
      setExporting([...inFlight.current]);
      void (async () => {
        try {
          const outcome = await exportWav(api, mode, source, downloadInBrowser, () =>
            model.notify(`Rendering ${label} to WAV: the Jobs panel shows its progress.`, 'info'),
          );
          const message = describeWavExport(outcome);
          if (message !== null) model.notify(message, 'info');
        } catch (error) {
          model.notify(`Could not export ${label} as WAV: ${error instanceof Error ? error.message : String(error)}`);
        } finally {
          inFlight.current.delete(key);
          setExporting([...inFlight.current]);
        }
      })();
    },
    [model, mode, api],
  );
  const isExporting = useCallback((source: MusicSource) => exporting.includes(sourceKey(source)), [exporting]);
  return { start, isExporting };
}

/** A waveform: the row button's icon (drawn like components/icons.tsx). */
export function WaveIcon({ size = 15 }: { readonly size?: number }): ReactElement {
  return createElement(
    'svg',
    {
      width: size,
      height: size,
      viewBox: '0 0 24 24',
      fill: 'none',
      stroke: 'currentColor',
      strokeWidth: 1.8,
      strokeLinecap: 'round',
      strokeLinejoin: 'round',
      'aria-hidden': true,
      focusable: false,
    },
    createElement('path', { d: 'M3 12h2M7 8v8M11 4v16M15 7v10M19 10v4M21 12h0' }),
  );
}
