/**
 * The native dialogs: open (`dialog.chooseImportPaths`: MIDI files or whole folders), save
 * (`pieces.exportMidi`, `audio.exportWav`) and choose a folder to export into (`comparisons.exportMidiFolder`).
 */
import { BrowserWindow, dialog, type OpenDialogOptions, type SaveDialogOptions } from 'electron';

export function importDialogOptions(folders: boolean): OpenDialogOptions {
  if (folders) {
    return { title: 'Import folders of MIDI files', buttonLabel: 'Import', properties: ['openDirectory', 'multiSelections'] };
  }
  return {
    title: 'Import MIDI files',
    buttonLabel: 'Import',
    properties: ['openFile', 'multiSelections'],
    filters: [
      { name: 'MIDI files', extensions: ['mid', 'midi', 'smf', 'kar'] },
      { name: 'All files', extensions: ['*'] },
    ],
  };
}

/** Opens the dialog on the focused window (so it is modal to it); empty when cancelled. */
export async function chooseImportPaths({ folders }: { folders: boolean }): Promise<string[]> {
  const options = importDialogOptions(folders);
  const owner = BrowserWindow.getFocusedWindow();
  const result = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
  return result.canceled ? [] : result.filePaths;
}

export function midiSaveDialogOptions(suggestedName: string): SaveDialogOptions {
  return {
    title: 'Export MIDI',
    buttonLabel: 'Export',
    defaultPath: suggestedName,
    filters: [{ name: 'MIDI file', extensions: ['mid'] }],
  };
}

/** "Export MIDI…": the native save dialog on the focused window; null when cancelled. */
export async function chooseMidiSavePath(suggestedName: string): Promise<string | null> {
  const options = midiSaveDialogOptions(suggestedName);
  const owner = BrowserWindow.getFocusedWindow();
  const result = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
  return result.canceled || !result.filePath ? null : result.filePath;
}

export function wavSaveDialogOptions(suggestedName: string): SaveDialogOptions {
  return {
    title: 'Export WAV',
    buttonLabel: 'Export',
    defaultPath: suggestedName,
    filters: [{ name: 'WAV audio', extensions: ['wav'] }],
  };
}

/** "Export WAV…": the native save dialog on the focused window; null when cancelled. */
export async function chooseWavSavePath(suggestedName: string): Promise<string | null> {
  const options = wavSaveDialogOptions(suggestedName);
  const owner = BrowserWindow.getFocusedWindow();
  const result = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
  return result.canceled || !result.filePath ? null : result.filePath;
}

export function folderDialogOptions(title: string): OpenDialogOptions {
  return { title, buttonLabel: 'Export here', properties: ['openDirectory', 'createDirectory', 'promptToCreate'] };
}

/** A folder to export into: the native open dialog for folders on the focused window; null when cancelled. */
export async function chooseFolder({ title }: { title: string }): Promise<string | null> {
  const options = folderDialogOptions(title);
  const owner = BrowserWindow.getFocusedWindow();
  const result = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
  return result.canceled || result.filePaths.length === 0 ? null : result.filePaths[0]!;
}
