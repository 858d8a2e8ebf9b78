/**
 * "Export MIDI…" and "Export WAV…" from the editor export the clip as it is stored, so the edits on
 * screen are saved first; when the save fails nothing is exported (a stale file would look like the
 * edit was lost). No React and no DOM, so the order of things is unit-tested with fakes.
 */
import type { WorkbenchState } from '../../editor/workbench';

/** What of the workbench an export needs: which clip is open, and its save. */
export interface ExportWorkbench {
  readonly state: Pick<WorkbenchState, 'clipId'>;
  /** Resolves true when the document on screen is saved (at once when nothing changed). */
  save(): Promise<boolean>;
}

export type EditorExportOutcome<T> =
  | { readonly kind: 'exported'; readonly clipId: number; readonly value: T }
  | { readonly kind: 'nothing-open' }
  | { readonly kind: 'not-saved' };

/**
 * Saves the open clip (the workbench's save also waits for a save already under way, so an autosave
 * in flight is not raced), then runs `exportClip` on it. The clip is the one open when this started.
 */
export async function saveThenExport<T>(workbench: ExportWorkbench, exportClip: (clipId: number) => Promise<T>): Promise<EditorExportOutcome<T>> {
  const clipId = workbench.state.clipId;
  if (clipId === null) return { kind: 'nothing-open' };
  if (!(await workbench.save())) return { kind: 'not-saved' };
  return { kind: 'exported', clipId, value: await exportClip(clipId) };
}

/** The notice for an export that did not run; null when there is nothing to say. */
export function describeSkippedExport(outcome: EditorExportOutcome<unknown>, format: 'MIDI' | 'WAV'): string | null {
  switch (outcome.kind) {
    case 'exported':
      return null;
    case 'nothing-open':
      return `Nothing is open in the editor to export as ${format}.`;
    case 'not-saved':
      return `Not exported as ${format}: the edits could not be saved first.`;
  }
}
