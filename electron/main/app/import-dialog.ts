/** The native open dialog behind `dialog.chooseImportPaths`: MIDI files, or whole folders. */
import { BrowserWindow, dialog, type OpenDialogOptions } from 'electron';

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
