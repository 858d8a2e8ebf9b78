/**
 * Export from the editor in real Chromium against the real browser-mode server: import a small
 * melody, open it in the editor, transpose it up a semitone without saving, then "Export MIDI…"
 * downloads a .mid whose notes are the transposed ones (the edit was saved first), and "Export WAV…"
 * renders the clip in a job and downloads a .wav with a RIFF/WAVE header.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMidi } from '../../core/midi/parse-midi';
import { melody } from '../support/midi-fixtures';
import { tempDir } from '../support/paths';
import { CHROMIUM_MISSING, hasChromium, openBrowser, type BrowserSession } from './support/browser';
import { startStudioProcess, type StudioProcess } from './support/studio-process';

const MELODY = [60, 62, 64, 65];
const JOB_TIMEOUT_MS = 120_000;

if (!hasChromium) console.warn(CHROMIUM_MISSING);

describe.skipIf(!hasChromium)('export from the editor (browser mode, real Chromium)', () => {
  let studio: StudioProcess;
  let browser: BrowserSession;
  let page: Page;
  let fixtures: string;

  beforeAll(async () => {
    fixtures = tempDir('studio-e2e-editor-export-');
    fs.mkdirSync(path.join(fixtures, 'song'), { recursive: true });
    fs.writeFileSync(path.join(fixtures, 'song', 'melody.mid'), melody(MELODY));
    studio = await startStudioProcess();
    browser = await openBrowser();
    page = browser.page;
    await page.goto(studio.url);
    await page.getByTestId('connection').filter({ hasText: 'Connected' }).waitFor({ timeout: 30_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await studio?.stop();
    if (fixtures) fs.rmSync(fixtures, { recursive: true, force: true });
  });

  const dirty = (): Promise<string | null> => page.getByTestId('editor-dirty').getAttribute('data-dirty');

  async function saved(download: Download, name: string): Promise<Buffer> {
    const file = path.join(fixtures, name);
    await download.saveAs(file);
    return fs.readFileSync(file);
  }

  it('opens an imported melody in the editor and transposes it without saving', async () => {
    await page.getByTestId('open-import').click();
    const dialog = page.getByTestId('import-dialog');
    await dialog.getByTestId('folder-input').setInputFiles(path.join(fixtures, 'song'));
    await expect.poll(() => dialog.getByTestId('import-selection').isVisible()).toBe(true);
    await dialog.getByTestId('corpus-name-input').fill('Song');
    await dialog.getByTestId('import-button').click();
    const row = page.getByTestId('piece-row').filter({ hasText: 'melody.mid' });
    await row.waitFor({ timeout: 60_000 });
    await row.getByTestId('open-in-editor').click();
    await page.getByTestId('editor-canvas').waitFor();
    await expect.poll(() => page.getByTestId('editor-note-count').getAttribute('data-count')).toBe('4');

    // No autosave, so only the export's own save can put the edit into the clip.
    await page.getByTestId('editor-autosave').uncheck();
    await page.getByTestId('transpose-up').click();
    expect(await dirty()).toBe('true');
  });

  it('Export MIDI… saves first and downloads the edited notes', async () => {
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.getByTestId('editor-export-midi').click()]);
    expect(download.suggestedFilename()).toMatch(/\.mid$/);
    const bytes = await saved(download, 'export.mid');
    const piece = parseMidi(new Uint8Array(bytes), download.suggestedFilename());
    const pitches = piece.tracks.flatMap((track) => track.notes).sort((a, b) => a.ticks - b.ticks).map((note) => note.pitch);
    expect(pitches).toEqual(MELODY.map((pitch) => pitch + 1));
    expect(await dirty()).toBe('false');
    await expect.poll(() => page.getByTestId('notice').filter({ hasText: `Downloaded ${download.suggestedFilename()}` }).count()).toBe(1);
  });

  it('Export WAV… saves a second edit, renders it in a job and downloads a .wav', async () => {
    await page.getByTestId('transpose-up').click();
    expect(await dirty()).toBe('true');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: JOB_TIMEOUT_MS }), page.getByTestId('editor-export-wav').click()]);
    expect(download.suggestedFilename()).toMatch(/\.wav$/);
    expect(await dirty()).toBe('false');
    // The render ran as a job: its notice, then the download's.
    await expect.poll(() => page.getByTestId('notice').filter({ hasText: 'to WAV: the Jobs panel shows its progress' }).count()).toBe(1);
    await expect.poll(() => page.getByTestId('notice').filter({ hasText: `Downloaded ${download.suggestedFilename()}` }).count()).toBe(1);

    const wav = await saved(download, 'export.wav');
    expect(wav.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(wav.subarray(8, 12).toString('latin1')).toBe('WAVE');
    const dataBytes = wav.readUInt32LE(40);
    expect(dataBytes).toBeGreaterThan(0);
    expect(wav.length).toBe(44 + dataBytes);
    await expect.poll(() => page.getByTestId('editor-export-wav').isEnabled()).toBe(true);
    expect(browser.problems).toEqual([]);
  });
});
