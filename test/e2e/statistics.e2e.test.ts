/**
 * The corpus's Statistics tab, Re-split and Export MIDI in real Chromium against the real
 * browser-mode server: figures match what was imported, the uPlot charts draw on real canvases, a
 * scope shows one split, re-splitting moves pieces but keeps the 80/10/10 counts and totals, and a
 * downloaded .mid parses back to the piece's notes. Screenshots land in test/.tmp for review.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMidi } from '../../core/midi/parse-midi';
import { hasJsb, JSB_MISSING, jsbMidiRoot, projectRoot, tempDir } from '../support/paths';
import { writeMidiFile } from '../support/midi-fixtures';
import { CHROMIUM_MISSING, hasChromium, openBrowser, type BrowserSession } from './support/browser';
import { startStudioProcess, type StudioProcess } from './support/studio-process';

const SCREENSHOT_DIR = path.join(projectRoot, 'test/.tmp');
const JOB_TIMEOUT_MS = 120_000;
/** Ten one-voice tunes, tune-03 … tune-12, of 3 … 12 quarter notes at 90 + n bpm (see midi-fixtures). */
const TUNES = Array.from({ length: 10 }, (_, index) => ({ name: `tune-${String(index + 3).padStart(2, '0')}`, notes: index + 3 }));
const TUNE_NOTES = TUNES.reduce((sum, tune) => sum + tune.notes, 0);

if (!hasChromium) console.warn(CHROMIUM_MISSING);
if (!hasJsb) console.warn(JSB_MISSING);

describe.skipIf(!hasChromium)('statistics, re-split and export (browser mode, real Chromium)', () => {
  let studio: StudioProcess;
  let browser: BrowserSession;
  let page: Page;
  let fixtures: string;

  beforeAll(async () => {
    fixtures = tempDir('studio-e2e-stats-');
    const folder = path.join(fixtures, 'tunes');
    TUNES.forEach((tune, index) => writeMidiFile(path.join(folder, `${tune.name}.mid`), index + 3, tune.notes));
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
    return page.getByTestId('corpus-row').filter({ has: page.locator('.corpus-row-name', { hasText: new RegExp(`^${name}$`) }) });
  }

  async function importFolder(folder: string, corpusName: string): Promise<void> {
    await page.getByTestId('open-import').click();
    const dialog = page.getByTestId('import-dialog');
    await dialog.getByTestId('folder-input').setInputFiles(folder);
    await expect.poll(() => dialog.getByTestId('import-selection').isVisible()).toBe(true);
    await dialog.getByTestId('corpus-name-input').fill(corpusName);
    await dialog.getByTestId('import-button').click();
    await expect.poll(() => dialog.count(), { timeout: 60_000 }).toBe(0);
    const job = page.getByTestId('job-row').filter({ hasText: `Import into “${corpusName}”` }).first();
    await expect.poll(() => job.getAttribute('data-status'), { timeout: JOB_TIMEOUT_MS, interval: 250 }).toBe('done');
  }

  const text = async (testId: string): Promise<string> => ((await page.getByTestId(testId).textContent()) ?? '').trim();

  /** Waits until the statistics on screen are current (not computing, not updating). */
  async function statisticsSettled(): Promise<void> {
    await expect.poll(() => page.getByTestId('statistics-status').getAttribute('data-busy'), { timeout: 60_000 }).toBe('false');
  }

  async function showScope(scope: 'all' | 'train' | 'valid' | 'test'): Promise<void> {
    await page.getByTestId(`scope-${scope}`).click();
    await expect.poll(() => page.getByTestId(`scope-${scope}`).getAttribute('aria-checked')).toBe('true');
    await statisticsSettled();
  }

  /** The pieces in one split, read from the Pieces tab's filtered table. */
  async function piecesIn(split: 'train' | 'valid' | 'test'): Promise<string[]> {
    await page.getByTestId('tab-pieces').click();
    await page.getByTestId('piece-filter').fill(split);
    await expect.poll(async () => (await page.locator('.toolbar-info').textContent()) ?? '').toMatch(new RegExp(`of 10 pieces$`));
    const paths = await page.locator('[data-testid="piece-row"] .cell-relativePath').allTextContents();
    await page.getByTestId('piece-filter').fill('');
    return paths;
  }

  async function dismissNotices(): Promise<void> {
    const dismiss = page.getByTestId('notice').getByRole('button', { name: 'Dismiss' });
    while ((await dismiss.count()) > 0) await dismiss.first().click();
  }

  it('shows the statistics of an imported folder: figures, plots, programs and controllers', async () => {
    await importFolder(path.join(fixtures, 'tunes'), 'Tunes');
    await corpusRow('Tunes').click();
    // Ten pieces without split folders: the seeded 80/10/10 split.
    await expect.poll(() => text('split-counts')).toBe('train 8valid 1test 1');

    await page.getByTestId('tab-statistics').click();
    await expect.poll(() => page.getByTestId('statistics-panel').count()).toBe(1);
    await statisticsSettled();
    expect(await text('stat-pieces')).toBe('10');
    expect(await text('stat-notes')).toBe(String(TUNE_NOTES));
    // Tune n: n quarter notes at 90 + n bpm.
    const seconds = TUNES.reduce((sum, tune) => sum + (tune.notes * 60) / (90 + tune.notes), 0);
    expect(await text('stat-duration')).toBe(`0:00:${String(Math.round(seconds)).padStart(2, '0')}`);
    expect(await text('stat-polyphony')).toBe('1.00');
    expect(await text('stat-notes-per-piece')).toBe((TUNE_NOTES / 10).toFixed(1));
    expect(await text('stat-drums')).toBe('0');

    const programs = page.getByTestId('program-row');
    expect(await programs.count()).toBe(1);
    expect(await programs.first().textContent()).toMatch(/^41Violin\s*Strings10/);
    const controllers = page.getByTestId('controller-row');
    expect(await controllers.count()).toBe(1);
    expect(await controllers.first().textContent()).toMatch(/^64Sustain Pedal10100%/);

    const plots = page.getByTestId('stat-plot');
    expect(await plots.count()).toBeGreaterThanOrEqual(7);
    const sizes = await plots.locator('canvas').evaluateAll((canvases) =>
      // Runs in the page (this file is type-checked without the DOM library): a canvas's backing-store size.
      canvases.map((canvas) => {
        const { width, height } = canvas as unknown as { width: number; height: number };
        return { width, height, shown: canvas.getBoundingClientRect().width };
      }),
    );
    expect(sizes.length).toBeGreaterThanOrEqual(7);
    for (const size of sizes) {
      expect(size.width).toBeGreaterThan(100);
      expect(size.height).toBeGreaterThan(100);
      expect(size.shown).toBeGreaterThan(100);
    }
    // Pitches 60..71 (C4..B4) are used: the pitch plot's peak is one of them.
    expect(await page.locator('[data-plot="pitch"] .plot-readout-label').textContent()).toMatch(/^[A-G]#?4$/);
  });

  it('shows one split at a time, with counts on the scope buttons', async () => {
    const counts = await page.getByTestId('scope-count').allTextContents();
    expect(counts).toEqual(['10', '8', '1', '1']);
    await showScope('train');
    expect(await text('stat-pieces')).toBe('8');
    await showScope('valid');
    expect(await text('stat-pieces')).toBe('1');
    const [validPiece] = await piecesIn('valid');
    const tune = TUNES.find((candidate) => validPiece === `tunes/${candidate.name}.mid`)!;
    // Back on the Statistics tab, the chosen scope is still shown.
    await page.getByTestId('tab-statistics').click();
    expect(await page.getByTestId('scope-valid').getAttribute('aria-checked')).toBe('true');
    await statisticsSettled();
    expect(await text('stat-notes')).toBe(String(tune.notes));
    await showScope('all');
    expect(await text('stat-notes')).toBe(String(TUNE_NOTES));
  });

  it('re-splits with a new seed: other pieces move, counts and totals stay', async () => {
    const before = { train: await piecesIn('train'), valid: await piecesIn('valid'), test: await piecesIn('test') };
    await page.getByTestId('resplit-open').click();
    const dialog = page.getByTestId('resplit-dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.textContent()).toContain('Pieces from train/valid/test folders keep their split');
    const seed = page.getByTestId('resplit-seed');
    // The dialog offers the current seed + 1.
    expect(Number(await seed.inputValue())).toBeGreaterThan(0);
    await seed.fill('');
    expect(await page.getByTestId('resplit-confirm').isDisabled()).toBe(true);
    await seed.fill('4242');
    await page.getByTestId('resplit-confirm').click();
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => page.getByTestId('notice').filter({ hasText: 'Re-split with seed 4242' }).count()).toBe(1);

    expect(await text('split-counts')).toBe('train 8valid 1test 1');
    expect(await page.getByTestId('split-counts').getAttribute('title')).toBe('Seed 4242');
    expect(await page.getByTestId('corpus-totals').textContent()).toContain(String(TUNE_NOTES));
    const after = { train: await piecesIn('train'), valid: await piecesIn('valid'), test: await piecesIn('test') };
    expect([...after.train, ...after.valid, ...after.test].sort()).toEqual([...before.train, ...before.valid, ...before.test].sort());
    expect(after).not.toEqual(before);

    // The valid split's statistics follow the new split.
    const tune = TUNES.find((candidate) => after.valid[0] === `tunes/${candidate.name}.mid`)!;
    await page.getByTestId('tab-statistics').click();
    await showScope('valid');
    await expect.poll(() => text('stat-notes')).toBe(String(tune.notes));
    await showScope('all');
    expect(await text('stat-notes')).toBe(String(TUNE_NOTES));
    expect(await text('stat-pieces')).toBe('10');
  });

  it('exports a piece as a .mid download that parses back to its notes', async () => {
    await page.getByTestId('tab-pieces').click();
    const row = page.getByTestId('piece-row').filter({ hasText: 'tunes/tune-07.mid' });
    const noteCell = (await row.locator('.cell-noteCount').textContent())?.trim();
    expect(noteCell).toBe('7');
    const [download] = await Promise.all([page.waitForEvent('download'), row.getByTestId('export-midi').click()]);
    expect(download.suggestedFilename()).toBe('tune-07.mid');
    const saved = path.join(fixtures, 'downloaded.mid');
    await download.saveAs(saved);
    const piece = parseMidi(new Uint8Array(fs.readFileSync(saved)), 'tune-07');
    expect(piece.tracks.reduce((sum, track) => sum + track.notes.length, 0)).toBe(7);
    // midi-fixtures: note i of tune n has pitch 60 + (n + i) mod 12.
    expect(piece.tracks[0]!.notes.map((note) => note.pitch)).toEqual(Array.from({ length: 7 }, (_, index) => 60 + ((7 + index) % 12)));
    await expect.poll(() => page.getByTestId('notice').filter({ hasText: 'Downloaded tune-07.mid' }).count()).toBe(1);
  });

  it.skipIf(!hasJsb)('JSB chorales, train split: 229 pieces, 49,300 notes, and a screenshot', async () => {
    await importFolder(path.join(jsbMidiRoot, 'train'), 'JSB train');
    await corpusRow('JSB train').click();
    await page.getByTestId('tab-statistics').click();
    await expect.poll(() => text('stat-notes'), { timeout: 60_000 }).toBe('49,300');
    await statisticsSettled();
    expect(await text('stat-pieces')).toBe('229');
    expect(await text('split-counts')).toBe('train 229');
    expect(await page.getByTestId('scope-count').allTextContents()).toEqual(['229', '229', '0', '0']);
    // The corpus header's duration and the statistics' agree.
    const headerDuration = await page.locator('[data-testid="corpus-totals"] .stat').nth(2).locator('dd').textContent();
    expect(await text('stat-duration')).toBe(headerDuration);
    expect(Number(await text('stat-polyphony'))).toBeGreaterThan(2);
    expect(Number(await text('stat-polyphony'))).toBeLessThanOrEqual(4);
    const sizes = await page.getByTestId('stat-plot').locator('canvas').evaluateAll((canvases) => canvases.map((canvas) => (canvas as unknown as { width: number }).width));
    expect(sizes.filter((width) => width > 0).length).toBeGreaterThanOrEqual(7);

    await showScope('train');
    expect(await text('stat-notes')).toBe('49,300');
    await showScope('valid');
    expect(await text('stat-pieces')).toBe('0');
    await showScope('all');

    // Jobs folded away, no notices, the cursor over the pitch plot: what a composer would look at.
    await dismissNotices();
    const jobsToggle = page.locator('.jobs-panel .panel-toggle');
    if ((await jobsToggle.getAttribute('aria-expanded')) === 'true') await jobsToggle.click();
    const pitchPlot = page.locator('[data-plot="pitch"] .u-over');
    const box = (await pitchPlot.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.52, box.y + box.height * 0.5);
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const file = path.join(SCREENSHOT_DIR, 'statistics.png');
    await page.screenshot({ path: file });
    expect(fs.statSync(file).size).toBeGreaterThan(20_000);
    await page.locator('.stats-scroll').evaluate((element) => element.scrollTo(0, element.scrollHeight));
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'statistics-tables.png') });
    await page.locator('.stats-scroll').evaluate((element) => element.scrollTo(0, 0));
  });

  it('takes a screenshot of the re-split dialog, with no console errors on the way', async () => {
    await corpusRow('Tunes').click();
    await dismissNotices();
    await page.getByTestId('resplit-open').click();
    await expect.poll(() => page.getByTestId('resplit-dialog').isVisible()).toBe(true);
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'resplit-dialog.png') });
    await page.getByTestId('resplit-dialog').getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByTestId('resplit-dialog').count()).toBe(0);
    expect(browser.problems).toEqual([]);
  });
});
