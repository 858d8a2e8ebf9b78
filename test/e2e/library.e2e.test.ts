/**
 * The library in real Chromium against the real browser-mode server: import a folder (the JSB
 * chorales' train split when present), see a corrupt file's error while the rest imports, delete a
 * corpus through the in-app confirmation, and keep a screenshot of the result for a human to look at.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasJsb, JSB_MISSING, jsbMidiRoot, projectRoot, tempDir } from '../support/paths';
import { CHROMIUM_MISSING, hasChromium, openBrowser, type BrowserSession } from './support/browser';
import { melody, writeFolderWithOneCorruptFile } from '../support/midi-fixtures';
import { startStudioProcess, type StudioProcess } from './support/studio-process';

const SCREENSHOT_DIR = path.join(projectRoot, 'test/.tmp');
const JOB_TIMEOUT_MS = 120_000;

if (!hasChromium) console.warn(CHROMIUM_MISSING);
if (!hasJsb) console.warn(JSB_MISSING);

describe.skipIf(!hasChromium)('library (browser mode, real Chromium)', () => {
  let studio: StudioProcess;
  let browser: BrowserSession;
  let page: Page;
  let fixtures: string;

  beforeAll(async () => {
    fixtures = tempDir('studio-e2e-midi-');
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

  function corpusRow(name: string): Locator {
    return page.getByTestId('corpus-row').filter({ has: page.locator('.corpus-row-name', { hasText: new RegExp(`^${escapeRegExp(name)}$`) }) });
  }

  /** Opens the dialog, hands the folder or files to the hidden input, names the corpus and starts. */
  async function importThroughDialog(input: 'folder-input' | 'file-input', files: string | string[], corpusName: string): Promise<void> {
    await page.getByTestId('open-import').click();
    const dialog = page.getByTestId('import-dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await dialog.getByTestId(input).setInputFiles(files);
    await expect.poll(() => dialog.getByTestId('import-selection').isVisible()).toBe(true);
    await dialog.getByTestId('corpus-name-input').fill(corpusName);
    await dialog.getByTestId('import-button').click();
    await expect.poll(() => dialog.count(), { timeout: 60_000 }).toBe(0);
  }

  async function waitForImportJob(corpusName: string): Promise<Locator> {
    const row = page.getByTestId('job-row').filter({ hasText: `Import into “${corpusName}”` }).first();
    await expect.poll(() => row.getAttribute('data-status'), { timeout: JOB_TIMEOUT_MS, interval: 250 }).toMatch(/^(done|failed|cancelled)$/);
    return row;
  }

  it('shows the mode from app.info and an empty library', async () => {
    expect(await page.getByTestId('app-mode').textContent()).toBe('Browser');
    expect(await page.getByTestId('corpus-row').count()).toBe(0);
  });

  it.skipIf(!hasJsb)('imports the JSB chorales train split: 229 pieces, 49,300 notes', async () => {
    const folder = path.join(jsbMidiRoot, 'train');
    await page.getByTestId('open-import').click();
    const dialog = page.getByTestId('import-dialog');
    await dialog.getByTestId('folder-input').setInputFiles(folder);
    // The name defaults to the chosen folder's name.
    await expect.poll(() => dialog.getByTestId('corpus-name-input').inputValue()).toBe('train');
    expect(await dialog.getByTestId('import-selection').textContent()).toContain('229 files');
    await dialog.getByTestId('corpus-name-input').fill('JSB train');
    await dialog.getByTestId('import-button').click();

    const job = await waitForImportJob('JSB train');
    expect(await job.getAttribute('data-status')).toBe('done');
    expect(await job.getByTestId('job-progress').getAttribute('aria-valuenow')).toBe('100');
    expect(await job.getByTestId('import-imported').textContent()).toBe('229 pieces imported');
    expect(await job.getByTestId('import-failure').count()).toBe(0);

    const row = corpusRow('JSB train');
    await expect.poll(() => row.getByTestId('corpus-piece-count').textContent()).toBe('229');
    expect(await row.getByTestId('corpus-note-count').textContent()).toBe('49,300');

    await row.click();
    await expect.poll(() => page.getByTestId('piece-row').count()).toBeGreaterThan(10);
    // Virtualised: a screenful of rows, not all 229.
    expect(await page.getByTestId('piece-row').count()).toBeLessThan(229);
    expect(await page.getByTestId('pieces-table').getAttribute('aria-rowcount')).toBe('230');
    const firstRow = await page.getByTestId('piece-row').first().textContent();
    expect(firstRow).toContain('train/train_000.mid');
    expect(firstRow).toContain('train');
    expect(await page.getByTestId('corpus-totals').textContent()).toContain('49,300');

    // Scrolled to the end, the last piece is rendered, still without rendering them all.
    await page.locator('.table-scroll').evaluate((element) => element.scrollTo(0, element.scrollHeight));
    await expect.poll(() => page.getByTestId('piece-row').filter({ hasText: 'train/train_228.mid' }).count()).toBe(1);
    expect(await page.getByTestId('piece-row').count()).toBeLessThan(229);
    expect(await page.getByTestId('piece-row').last().textContent()).toContain('train/train_228.mid');
    const heights = await page.getByTestId('piece-row').evaluateAll((rows) => rows.map((row) => row.getBoundingClientRect().height));
    expect(new Set(heights)).toEqual(new Set([26]));
    await page.locator('.table-scroll').evaluate((element) => element.scrollTo(0, 0));
  });

  it('imports a folder with one corrupt file: three pieces, and the error names broken.mid', async () => {
    const folder = writeFolderWithOneCorruptFile(fixtures, 'sketches');
    await importThroughDialog('folder-input', folder, 'Sketches');

    const job = await waitForImportJob('Sketches');
    expect(await job.getAttribute('data-status')).toBe('done');
    expect(await job.getByTestId('import-imported').textContent()).toBe('3 pieces imported');
    const failures = job.getByTestId('import-failure');
    expect(await failures.count()).toBe(1);
    const failure = (await failures.first().textContent()) ?? '';
    expect(failure).toContain('broken.mid');
    expect(failure).toMatch(/MIDI file/);

    const row = corpusRow('Sketches');
    await expect.poll(() => row.getByTestId('corpus-piece-count').textContent()).toBe('3');
    expect(await row.getByTestId('corpus-note-count').textContent()).toBe('15');
    await row.click();
    await expect.poll(() => page.getByTestId('piece-row').count()).toBe(3);
    const paths = await page.locator('[data-testid="piece-row"] .cell-relativePath').allTextContents();
    expect(paths).toEqual(['sketches/one.mid', 'sketches/three.mid', 'sketches/two.mid']);
  });

  it('deletes a corpus only after the in-app confirmation', async () => {
    const file = path.join(fixtures, 'Lonely tune.mid');
    fs.writeFileSync(file, melody([64, 66, 68]));
    await importThroughDialog('file-input', file, 'Doomed');
    await waitForImportJob('Doomed');
    const row = corpusRow('Doomed');
    await expect.poll(() => row.getByTestId('corpus-piece-count').textContent()).toBe('1');
    await row.click();

    // Cancelling keeps it.
    await page.getByTestId('delete-corpus').click();
    const confirm = page.getByTestId('confirm-dialog');
    expect(await confirm.textContent()).toContain('Delete “Doomed”?');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => confirm.count()).toBe(0);
    expect(await row.count()).toBe(1);

    await page.getByTestId('delete-corpus').click();
    await page.getByTestId('confirm-delete').click();
    await expect.poll(() => row.count()).toBe(0);
    expect(await corpusRow('Sketches').count()).toBe(1);
  });

  it('opens the import dialog with files dropped on the library', async () => {
    const bytes = Array.from(melody([60, 64, 67]));
    const dataTransfer = await page.evaluateHandle((data) => {
      // Runs in the page; this file is type-checked without the DOM library.
      const { DataTransfer } = globalThis as unknown as { DataTransfer: new () => { items: { add(file: File): void } } };
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(data)], 'Dropped idea.mid', { type: 'audio/midi' }));
      return transfer;
    }, bytes);
    const target = page.locator('.library-view');
    await target.dispatchEvent('dragenter', { dataTransfer });
    await target.dispatchEvent('drop', { dataTransfer });
    const dialog = page.getByTestId('import-dialog');
    await expect.poll(() => dialog.count()).toBe(1);
    expect(await dialog.getByTestId('corpus-name-input').inputValue()).toBe('Dropped idea');
    expect(await dialog.getByTestId('import-selection').textContent()).toContain('1 file');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
  });

  it('takes a screenshot of the library for review, with no console errors on the way', async () => {
    await corpusRow(hasJsb ? 'JSB train' : 'Sketches').click();
    await expect.poll(() => page.getByTestId('piece-row').count()).toBeGreaterThan(0);
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const file = path.join(SCREENSHOT_DIR, 'library.png');
    await page.screenshot({ path: file });
    expect(fs.statSync(file).size).toBeGreaterThan(10_000);

    await page.getByTestId('open-import').click();
    await page.getByTestId('import-dialog').getByTestId('folder-input').setInputFiles(path.join(fixtures, 'sketches'));
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'import-dialog.png') });
    await page.getByTestId('import-dialog').getByRole('button', { name: 'Cancel' }).click();

    expect(browser.problems).toEqual([]);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
